package dashboards

import (
	"strings"
	"testing"
)

// TestBadInputChangesNothing drives decodeJSON and validation through a
// real endpoint (admin creating a pipeline / user) and proves each bad
// body is refused with the documented shape and leaves the store as it was.
func TestBadInputChangesNothing(t *testing.T) {
	ts := newTestServer(t)
	stage := `{"code":"a","name":"A","kind":"open","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":100,"group":"g"}`
	long := strings.Repeat("я", 300)
	pipelinesBefore, usersBefore := ts.rowCount("pipelines"), ts.rowCount("users")
	runScenarios(t, ts, []scenario{
		{name: "malformed JSON", method: "POST", url: "/api/v1/pipelines", as: "admin", body: `{"code":`, status: 400,
			contains: []string{`"code":"malformed_json"`}},
		{name: "syntax error", method: "POST", url: "/api/v1/pipelines", as: "admin", body: `{"code" "x"}`, status: 400},
		{name: "trailing data", method: "POST", url: "/api/v1/users", as: "admin", body: `{"email":"a@b.ru"} {}`, status: 400},
		{name: "not an object", method: "POST", url: "/api/v1/users", as: "admin", body: `[1,2]`, status: 400},
		{name: "wrong content type", method: "POST", url: "/api/v1/users", as: "admin", body: `x`, status: 400},
		{name: "unknown field", method: "POST", url: "/api/v1/users", as: "admin", status: 422, field: "is_admin",
			body: `{"email":"x@y.ru","name":"Икс","role":"manager","password":"12345","is_admin":true}`},
		{name: "wrong type", method: "POST", url: "/api/v1/pipelines", as: "admin", status: 422, field: "stages.probability",
			body: `{"code":"p","name":"П","entity":"deal","stages":[{"code":"a","name":"A","kind":"open","probability":"много","group":"g"}]}`},
		{name: "over-long name", method: "POST", url: "/api/v1/pipelines", as: "admin", status: 422, field: "name",
			body: `{"code":"p","name":"` + long + `","entity":"deal","stages":[` + stage + `]}`, contains: []string{"too_long"}},
		{name: "non-UTF-8 text", method: "POST", url: "/api/v1/users", as: "admin", status: 422, field: "name",
			body: "{\"email\":\"x@y.ru\",\"name\":\"\xff\xfe\",\"role\":\"manager\",\"password\":\"12345\"}", contains: []string{"invalid_encoding"}},
		{name: "unknown role", method: "POST", url: "/api/v1/users", as: "admin", status: 422, field: "role",
			body: `{"email":"x@y.ru","name":"Икс","role":"boss","password":"12345"}`, contains: []string{"admin, director, analyst, manager"}},
		{name: "bad e-mail", method: "POST", url: "/api/v1/users", as: "admin", status: 422, field: "email",
			body: `{"email":"нет","name":"Икс","role":"manager","password":"12345"}`},
		{name: "duplicate e-mail", method: "POST", url: "/api/v1/users", as: "admin", status: 409,
			body: `{"email":"MANAGER@test.local","name":"Двойник","role":"manager","password":"12345"}`},
		{name: "control characters", method: "POST", url: "/api/v1/users", as: "admin", status: 422, field: "name",
			body: `{"email":"x@y.ru","name":"a\u0000b","role":"manager","password":"12345"}`},
		{name: "bad stage kind", method: "POST", url: "/api/v1/pipelines", as: "admin", status: 422, field: "stages[0].kind",
			body: `{"code":"p","name":"П","entity":"deal","stages":[{"code":"a","name":"A","kind":"maybe","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":100,"group":"g"}]}`},
		{name: "probability out of range", method: "POST", url: "/api/v1/pipelines", as: "admin", status: 422, field: "stages[1].probability",
			body: `{"code":"p","name":"П","entity":"deal","stages":[{"code":"a","name":"A","kind":"open","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":101,"group":"g"}]}`},
	})
	if ts.rowCount("pipelines") != pipelinesBefore || ts.rowCount("users") != usersBefore {
		t.Errorf("a refused request changed the store: pipelines %d→%d, users %d→%d",
			pipelinesBefore, ts.rowCount("pipelines"), usersBefore, ts.rowCount("users"))
	}
}

func TestLoginRateLimit(t *testing.T) {
	ts := newTestServer(t)
	body := `{"email":"someone@test.local","password":"wrong"}`
	var last int
	for i := 0; i < 12; i++ {
		last, _ = ts.do("POST", "/api/v1/auth/login", "", body)
	}
	if last != 429 {
		t.Fatalf("12th failed login answered %d, want 429", last)
	}
	// Another account from the same address is not locked out by it.
	if st, _ := ts.do("POST", "/api/v1/auth/login", "", `{"email":"admin@test.local","password":"`+testPassword+`"}`); st != 200 {
		t.Fatalf("login of another account: %d", st)
	}
}
