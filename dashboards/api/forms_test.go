package api_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

func TestFormAdminAPI(t *testing.T) {
	ts := dashtest.New(t)
	mgr := ts.Users["manager"].ID
	body := func(mapping string) string {
		return `{"name":"Форма","responsible_id":` + dashtest.Itoa(mgr) + `,"mapping":` + mapping + `}`
	}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "manager may not", Method: "POST", URL: "/api/v1/forms", As: "director", Body: body(`{"tel":"contact.phone"}`), Status: 403},
		{Name: "unknown target", Method: "POST", URL: "/api/v1/forms", As: "admin", Body: body(`{"tel":"salary"}`), Status: 422, Field: "mapping.tel"},
		{Name: "honeypot name", Method: "POST", URL: "/api/v1/forms", As: "admin", Body: body(`{"homepage":"title"}`), Status: 422, Field: "mapping"},
		{Name: "no mapping", Method: "POST", URL: "/api/v1/forms", As: "admin", Body: body(`{}`), Status: 422, Field: "mapping"},
		{Name: "unknown source", Method: "POST", URL: "/api/v1/forms", As: "admin",
			Body: `{"name":"Ф","responsible_id":` + dashtest.Itoa(mgr) + `,"source":"tv","mapping":{"a":"title"}}`, Status: 422, Field: "source"},
		{Name: "unknown field", Method: "POST", URL: "/api/v1/forms", As: "admin", Body: `{"name":"Ф","key":"x"}`, Status: 422, Field: "key"},
	})
	if n := ts.RowCount("form_keys"); n != 0 {
		t.Fatalf("bad requests created %d forms", n)
	}
	key := ts.NewForm("web_form")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "list", Method: "GET", URL: "/api/v1/forms", As: "admin", Status: 200, Contains: []string{key, `"contact.phone"`}},
		{Name: "disable", Method: "DELETE", URL: "/api/v1/forms/" + key, As: "admin", Status: 204},
		{Name: "disable unknown", Method: "DELETE", URL: "/api/v1/forms/nokey", As: "admin", Status: 404},
	})
	if st, _ := ts.PostForm(key, "application/x-www-form-urlencoded", "tel=1234567"); st != 404 {
		t.Errorf("a disabled form answers %d, want 404", st)
	}
}

func TestFormSubmissions(t *testing.T) {
	ts := dashtest.New(t)
	key := ts.NewForm("website")
	form := url.Values{"fio": {"Кузнецова Мария"}, "tel": {"+7 916 700-00-01"}, "org": {`ООО "Лютик"`}, "extra": {"x"}}
	st, body := ts.PostForm(key, "application/x-www-form-urlencoded", form.Encode())
	if st != 200 || !strings.Contains(body, "Спасибо") || strings.Contains(body, "id") {
		t.Fatalf("form-encoded: %d %s", st, body)
	}
	st, body = ts.PostForm(key+"?lang=en", "application/json", `{"fio":"Олег Петров","mail":"oleg@x.ru","subject":"Хочу демо","age":42}`)
	if st != 200 || !strings.Contains(body, "Thank you! Your request has been received; we will be in touch.") {
		t.Fatalf("json, in English: %d %s", st, body)
	}
	var n int
	ts.PG.Pool.QueryRow(context.Background(), `SELECT count(*) FROM leads WHERE source = 'website' AND responsible_id = $1
  AND ((contact_name = 'Кузнецова Мария' AND contact_phone = '+7 916 700-00-01' AND company_name = 'ООО "Лютик"' AND title = 'Заявка с формы «Заявка с сайта»')
    OR (contact_name = 'Олег Петров' AND contact_email = 'oleg@x.ru' AND title = 'Хочу демо'))`, ts.Users["manager"].ID).Scan(&n)
	if n != 2 {
		t.Fatalf("leads from the form: %d, want 2", n)
	}
	leads := ts.RowCount("leads")
	for _, c := range []struct {
		name, ct, body string
		status         int
		not            string
	}{
		{"honeypot", "application/x-www-form-urlencoded", "tel=89160000000&homepage=http://spam", 200, ""},
		{"unknown key", "application/x-www-form-urlencoded", "tel=1", 404, key},
		{"no contact", "application/x-www-form-urlencoded", "subject=hi", 422, "contact."},
		{"bad email", "application/json", `{"mail":"nope"}`, 422, "contact."},
		{"nested json", "application/json", `{"tel":{"a":1}}`, 422, ""},
		{"broken json", "application/json", `{"tel":`, 400, "unexpected"},
		{"plain text", "text/plain", "hello", 400, ""},
	} {
		k := key
		if c.name == "unknown key" {
			k = "abcdefabcdefabcdef"
		}
		st, body := ts.PostForm(k, c.ct, c.body)
		if st != c.status || (c.not != "" && strings.Contains(body, c.not)) || strings.Contains(body, "goroutine") {
			t.Errorf("%s: %d %s, want %d without %q", c.name, st, body, c.status, c.not)
		}
	}
	if ts.RowCount("leads") != leads {
		t.Errorf("rejected or bot submissions created leads")
	}
	st, body = ts.PostForm(key, "application/json", `{"mail":"nope"}`)
	var e struct{ Error server.ErrorBody }
	json.Unmarshal([]byte(body), &e)
	if e.Error.Field != "mail" {
		t.Errorf("the error names the form field: %s", body)
	}
}

// TestFormRateLimits runs a real listener so client addresses differ:
// 127.0.0.1 and 127.0.0.2 are both loopback on Linux.
func TestFormRateLimits(t *testing.T) {
	ts := dashtest.New(t)
	key, other := ts.NewForm("website"), ts.NewForm("website")
	ts.Srv = dashboards.New(server.Deps{Store: ts.Store, Ready: ts.Store.Ping, Forms: server.FormLimits{PerAddress: 3, PerKey: 5}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ts.Srv.ServeListener(ctx, ln)
	post := func(from, k string) int {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
		c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
		resp, err := c.PostForm("http://"+ln.Addr().String()+"/forms/"+k, url.Values{"tel": {"+7 916 000 00 01"}, "homepage": {"bot"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	got := []int{post("127.0.0.1", key), post("127.0.0.1", key), post("127.0.0.1", key), post("127.0.0.1", key),
		post("127.0.0.1", other), post("127.0.0.2", key), post("127.0.0.2", key), post("127.0.0.3", key)}
	want := []int{200, 200, 200, 429, 200, 200, 200, 429}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v (3 per key and address, 5 per key)", got, want)
		}
	}
}
