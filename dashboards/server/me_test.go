package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestMeIsTheStoredUser: GET /me and the sign-in answer carry the user's
// real creation time as PostgreSQL holds it, not Go's zero time.
func TestMeIsTheStoredUser(t *testing.T) {
	ts := dashtest.New(t)
	id := ts.Users["manager"].ID
	// A creation time of our own, so a zero or a "now" cannot pass by luck.
	created := time.Date(2024, 5, 17, 9, 30, 0, 0, time.UTC)
	if _, err := ts.PG.Pool.Exec(context.Background(), `UPDATE users SET created_at = $1 WHERE id = $2`, created, id); err != nil {
		t.Fatal(err)
	}
	var me struct {
		ID        int64     `json:"id"`
		Email     string    `json:"email"`
		Active    bool      `json:"active"`
		CreatedAt time.Time `json:"created_at"`
	}
	if st := ts.DoJSON("GET", "/api/v1/me", "manager", nil, &me); st != 200 {
		t.Fatalf("GET /me: %d", st)
	}
	if me.ID != id || me.Email != "manager@test.local" || !me.Active || !me.CreatedAt.Equal(created) {
		t.Errorf("GET /me = %+v, want user %d created %s", me, id, created)
	}
	var login struct {
		User struct {
			CreatedAt time.Time `json:"created_at"`
		} `json:"user"`
	}
	body := map[string]string{"email": "manager@test.local", "password": dashtest.Password}
	if st := ts.DoJSON("POST", "/api/v1/auth/login", "", body, &login); st != 200 || !login.User.CreatedAt.Equal(created) {
		t.Errorf("sign-in answer: %d, user created %s, want %s", st, login.User.CreatedAt, created)
	}
}
