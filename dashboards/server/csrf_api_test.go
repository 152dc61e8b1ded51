package server_test

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestAPICSRF: a call that changes something on the strength of the
// session cookie alone is refused (403 cross_origin, nothing written)
// unless it comes from this host (Origin, else Referer) or carries the
// pages' CSRF token; bearer tokens are unaffected, reads too. The
// requests are sent to http://example.com (httptest's host).
func TestAPICSRF(t *testing.T) {
	ts := dashtest.New(t)
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "leads.csv")
	fw.Write([]byte("ФИО;Телефон\r\nСидоров Пётр;+7 916 200-00-01\r\n"))
	mw.Close()
	multipartType := mw.FormDataContentType()
	form, formType := "ФИО;Телефон%0D%0AКозлов Иван;+7 916 200-00-02", "application/x-www-form-urlencoded"
	lead := func(title string) string { return `{"title":"` + title + `","source":"call"}` }

	refused := []struct {
		name, url, body string
		headers         map[string]string
	}{
		{"import, multipart, foreign Origin", "/api/v1/imports?kind=leads", mp.String(),
			map[string]string{"Cookie": "director", "Origin": "http://evil.example", "Content-Type": multipartType}},
		{"import, form-encoded, foreign Origin", "/api/v1/imports?kind=leads", form,
			map[string]string{"Cookie": "director", "Origin": "http://evil.example", "Content-Type": formType}},
		{"import, multipart, neither Origin nor Referer", "/api/v1/imports?kind=leads", mp.String(),
			map[string]string{"Cookie": "director", "Content-Type": multipartType}},
		{"import, foreign Referer", "/api/v1/imports?kind=leads", mp.String(),
			map[string]string{"Cookie": "director", "Referer": "http://evil.example/page", "Content-Type": multipartType}},
		{"import, Origin null", "/api/v1/imports?kind=leads", mp.String(),
			map[string]string{"Cookie": "director", "Origin": "null", "Content-Type": multipartType}},
		{"import, a host that only starts like ours", "/api/v1/imports?kind=leads", mp.String(),
			map[string]string{"Cookie": "director", "Origin": "http://example.com.evil.example", "Content-Type": multipartType}},
		{"JSON lead, foreign Origin", "/api/v1/leads", lead("Чужой"),
			map[string]string{"Cookie": "director", "Origin": "https://evil.example", "Content-Type": "application/json"}},
		{"JSON lead, wrong CSRF token", "/api/v1/leads", lead("Чужой"),
			map[string]string{"Cookie": "director", "X-CSRF-Token": strings.Repeat("f", 64), "Origin": "http://example.com"}},
	}
	leads := ts.RowCount("leads")
	for _, r := range refused {
		if a := call(t, ts, "POST", r.url, r.headers, r.body); a.status != 403 || a.code() != "cross_origin" {
			t.Errorf("%s: %d %s, want 403 cross_origin", r.name, a.status, a.body)
		}
	}
	if n := ts.RowCount("leads"); n != leads {
		t.Fatalf("refused requests created %d leads", n-leads)
	}
	if a := call(t, ts, "POST", "/api/v1/auth/login", map[string]string{"Origin": "http://evil.example", "Content-Type": "application/json"},
		`{"email":"director@test.local","password":"`+dashtest.Password+`"}`); a.status != 403 || a.header.Get("Set-Cookie") != "" {
		t.Errorf("sign-in from another site: %d %v %s, want 403 and no cookie", a.status, a.header, a.body)
	}

	accepted := []struct {
		name, url, body string
		headers         map[string]string
	}{
		{"import, multipart, same Origin", "/api/v1/imports?kind=leads", mp.String(),
			map[string]string{"Cookie": "director", "Origin": "http://example.com", "Content-Type": multipartType}},
		{"JSON lead, same-origin Referer", "/api/v1/leads", lead("Свой по Referer"),
			map[string]string{"Cookie": "director", "Referer": "http://example.com/kanban/sales", "Content-Type": "application/json"}},
		{"JSON lead, the pages' CSRF token", "/api/v1/leads", lead("Свой по токену"),
			map[string]string{"Cookie": "director", "X-CSRF-Token": dashtest.CSRF, "Content-Type": "application/json"}},
		{"JSON lead, bearer token from anywhere", "/api/v1/leads", lead("Скрипт"),
			map[string]string{"Authorization": "Bearer " + ts.Tokens["director"], "Origin": "http://evil.example", "Content-Type": "application/json"}},
	}
	for _, r := range accepted {
		if a := call(t, ts, "POST", r.url, r.headers, r.body); a.status >= 300 {
			t.Errorf("%s: %d %s, want it accepted", r.name, a.status, a.body)
		}
	}
	if n := ts.RowCount("leads"); n != leads+4 {
		t.Errorf("accepted requests made %d leads, want 4", n-leads)
	}
	if a := call(t, ts, "GET", "/api/v1/leads", map[string]string{"Cookie": "director", "Origin": "http://evil.example"}, ""); a.status != 200 {
		t.Errorf("a read with the cookie: %d, want 200", a.status)
	}
}
