package server_test

import (
	"encoding/json"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// An API error's message is the engine's English; ?lang asks for the
// code's text from the one catalogue in that language.
func TestErrorMessageLanguage(t *testing.T) {
	ts := dashtest.New(t)
	const bad = `{"email":"manager@test.local","password":"wrong"}`
	for _, c := range []struct{ url, want string }{
		{"/api/v1/auth/login", "wrong e-mail or password"},
		{"/api/v1/auth/login?lang=ru", "Неверная почта или пароль."},
		{"/api/v1/auth/login?lang=en", "Wrong e-mail or password."},
	} {
		var got struct {
			Error struct{ Code, Message string }
		}
		st, body := ts.Do("POST", c.url, "", bad)
		if err := json.Unmarshal([]byte(body), &got); err != nil || st != 401 || got.Error.Code != "invalid_credentials" || got.Error.Message != c.want {
			t.Errorf("%s: %d %+v, want 401 invalid_credentials %q", c.url, st, got.Error, c.want)
		}
	}
}
