package server_test

import (
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestBadInputChangesNothing drives DecodeJSON and validation through a
// real endpoint (admin creating a pipeline / user) and proves each bad
// body is refused with the documented shape and leaves the store as it was.
func TestBadInputChangesNothing(t *testing.T) {
	ts := dashtest.New(t)
	stage := `{"code":"a","name":"A","kind":"open","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":100,"group":"g"}`
	long := strings.Repeat("я", 300)
	pipelinesBefore, usersBefore := ts.RowCount("pipelines"), ts.RowCount("users")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "malformed JSON", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Body: `{"code":`, Status: 400,
			Contains: []string{`"code":"malformed_json"`}},
		{Name: "syntax error", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Body: `{"code" "x"}`, Status: 400},
		{Name: "trailing data", Method: "POST", URL: "/api/v1/users", As: "admin", Body: `{"email":"a@b.ru"} {}`, Status: 400},
		{Name: "not an object", Method: "POST", URL: "/api/v1/users", As: "admin", Body: `[1,2]`, Status: 400},
		{Name: "wrong content type", Method: "POST", URL: "/api/v1/users", As: "admin", Body: `x`, Status: 400},
		{Name: "unknown field", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 422, Field: "is_admin",
			Body: `{"email":"x@y.ru","name":"Икс","role":"manager","password":"12345","is_admin":true}`},
		{Name: "wrong type", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "stages.probability",
			Body: `{"code":"p","name":"П","entity":"deal","stages":[{"code":"a","name":"A","kind":"open","probability":"много","group":"g"}]}`},
		{Name: "over-long name", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "name",
			Body: `{"code":"p","name":"` + long + `","entity":"deal","stages":[` + stage + `]}`, Contains: []string{"too_long"}},
		{Name: "non-UTF-8 text", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 422, Field: "name",
			Body: "{\"email\":\"x@y.ru\",\"name\":\"\xff\xfe\",\"role\":\"manager\",\"password\":\"12345\"}", Contains: []string{"invalid_encoding"}},
		{Name: "unknown role", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 422, Field: "role",
			Body: `{"email":"x@y.ru","name":"Икс","role":"boss","password":"12345"}`, Contains: []string{"admin, director, analyst, manager"}},
		{Name: "bad e-mail", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 422, Field: "email",
			Body: `{"email":"нет","name":"Икс","role":"manager","password":"12345"}`},
		{Name: "duplicate e-mail", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 409,
			Body: `{"email":"MANAGER@test.local","name":"Двойник","role":"manager","password":"12345"}`},
		{Name: "control characters", Method: "POST", URL: "/api/v1/users", As: "admin", Status: 422, Field: "name",
			Body: `{"email":"x@y.ru","name":"a\u0000b","role":"manager","password":"12345"}`},
		{Name: "bad stage kind", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "stages[0].kind",
			Body: `{"code":"p","name":"П","entity":"deal","stages":[{"code":"a","name":"A","kind":"maybe","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":100,"group":"g"}]}`},
		{Name: "probability out of range", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "stages[1].probability",
			Body: `{"code":"p","name":"П","entity":"deal","stages":[{"code":"a","name":"A","kind":"open","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":101,"group":"g"}]}`},
	})
	if ts.RowCount("pipelines") != pipelinesBefore || ts.RowCount("users") != usersBefore {
		t.Errorf("a refused request changed the store: pipelines %d→%d, users %d→%d",
			pipelinesBefore, ts.RowCount("pipelines"), usersBefore, ts.RowCount("users"))
	}
}

func TestLoginRateLimit(t *testing.T) {
	ts := dashtest.New(t)
	body := `{"email":"someone@test.local","password":"wrong"}`
	var last int
	for i := 0; i < 12; i++ {
		last, _ = ts.Do("POST", "/api/v1/auth/login", "", body)
	}
	if last != 429 {
		t.Fatalf("12th failed login answered %d, want 429", last)
	}
	// Another account from the same address is not locked out by it.
	if st, _ := ts.Do("POST", "/api/v1/auth/login", "", `{"email":"admin@test.local","password":"`+dashtest.Password+`"}`); st != 200 {
		t.Fatalf("login of another account: %d", st)
	}
}

// TestJSONWithoutContentType: a JSON body is read without the header
// and with curl's -d default (form-encoded); a real form body, plain
// text and any other type stay 400 and create nothing.
func TestJSONWithoutContentType(t *testing.T) {
	ts := dashtest.New(t)
	bearer := "Bearer " + ts.Tokens["manager"]
	lead := `{"title":"Лид из curl","source":"call"}`
	leads := ts.RowCount("leads")
	for _, c := range []struct{ contentType, body string }{
		{"", lead},
		{"application/x-www-form-urlencoded", lead},
		{"application/x-www-form-urlencoded", "\n  " + lead},
		{"application/json; charset=utf-8", lead},
		{"Application/JSON", lead},
	} {
		h := map[string]string{"Authorization": bearer}
		if c.contentType != "" {
			h["Content-Type"] = c.contentType
		}
		if a := call(t, ts, "POST", "/api/v1/leads", h, c.body); a.status != 201 {
			t.Errorf("Content-Type %q: %d %s, want 201", c.contentType, a.status, a.body)
		}
	}
	for _, c := range []struct{ contentType, body string }{
		{"application/x-www-form-urlencoded", "title=%D0%9B%D0%B8%D0%B4&source=call"},
		{"text/plain", lead},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n" + lead + "\r\n--x--\r\n"},
		{"application/xml", lead},
	} {
		h := map[string]string{"Authorization": bearer, "Content-Type": c.contentType}
		if a := call(t, ts, "POST", "/api/v1/leads", h, c.body); a.status != 400 || a.code() != "unsupported_media_type" {
			t.Errorf("Content-Type %q: %d %s, want 400 unsupported_media_type", c.contentType, a.status, a.body)
		}
	}
	if n := ts.RowCount("leads"); n != leads+5 {
		t.Errorf("%d leads made, want 5", n-leads)
	}
}
