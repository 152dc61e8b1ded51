package api_test

import (
	"encoding/json"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestUsersListByRole: a manager picks colleagues by name and gets no
// e-mails (nor creation times); the other roles get the whole user.
func TestUsersListByRole(t *testing.T) {
	ts := dashtest.New(t)
	for _, as := range []string{"manager", "admin", "director", "analyst"} {
		status, body := ts.Do("GET", "/api/v1/users", as, "")
		var got struct {
			Items []map[string]any
			Total int
		}
		if err := json.Unmarshal([]byte(body), &got); status != 200 || err != nil {
			t.Fatalf("%s: %d %s", as, status, body)
		}
		if got.Total != len(ts.Users) || len(got.Items) != len(ts.Users) {
			t.Fatalf("%s: %d users, want %d: %s", as, got.Total, len(ts.Users), body)
		}
		names := map[string]bool{}
		for _, u := range got.Items {
			names[u["name"].(string)] = true
			_, email := u["email"]
			_, created := u["created_at"]
			if manager := as == "manager"; email == manager || created == manager || u["id"] == nil || u["role"] == nil {
				t.Errorf("%s sees %v: e-mail and creation time should be shown exactly to non-managers", as, u)
			}
		}
		for alias, u := range ts.Users {
			if !names[u.Name] {
				t.Errorf("%s: %s (%s) missing from %s", as, alias, u.Name, body)
			}
		}
	}
}

// TestIngestStatusRoles: the change stream's state (slot, positions, WAL
// sizes) is for admins, directors and analysts; a manager gets 403.
// dashtest runs no stream, so the allowed roles get 503.
func TestIngestStatusRoles(t *testing.T) {
	ts := dashtest.New(t)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "manager", Method: "GET", URL: "/api/v1/ingest/status", As: "manager", Status: 403},
		{Name: "anonymous", Method: "GET", URL: "/api/v1/ingest/status", Status: 401},
		{Name: "admin", Method: "GET", URL: "/api/v1/ingest/status", As: "admin", Status: 503, Contains: []string{"ingest_not_running"}},
		{Name: "director", Method: "GET", URL: "/api/v1/ingest/status", As: "director", Status: 503},
		{Name: "analyst", Method: "GET", URL: "/api/v1/ingest/status", As: "analyst", Status: 503},
	})
}
