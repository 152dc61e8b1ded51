package dashboards

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
)

// newForm creates a web form as admin and returns its key.
func (ts *testServer) newForm(source string) string {
	ts.t.Helper()
	var f crmcore.FormKey
	in := map[string]any{"name": "Заявка с сайта", "source": source, "responsible_id": ts.users["manager"].ID,
		"mapping": map[string]string{"fio": "contact.name", "tel": "contact.phone", "mail": "contact.email", "org": "company.name", "subject": "title"}}
	if st := ts.doJSON("POST", "/api/v1/forms", "admin", in, &f); st != 201 {
		ts.t.Fatalf("create form: %d", st)
	}
	return f.Key
}

func (ts *testServer) postForm(key, contentType, body string) (int, string) {
	ts.t.Helper()
	req, _ := http.NewRequest("POST", "/forms/"+key, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFormAdminAPI(t *testing.T) {
	ts := newTestServer(t)
	mgr := ts.users["manager"].ID
	body := func(mapping string) string {
		return `{"name":"Форма","responsible_id":` + itoa(mgr) + `,"mapping":` + mapping + `}`
	}
	runScenarios(t, ts, []scenario{
		{name: "manager may not", method: "POST", url: "/api/v1/forms", as: "director", body: body(`{"tel":"contact.phone"}`), status: 403},
		{name: "unknown target", method: "POST", url: "/api/v1/forms", as: "admin", body: body(`{"tel":"salary"}`), status: 422, field: "mapping.tel"},
		{name: "honeypot name", method: "POST", url: "/api/v1/forms", as: "admin", body: body(`{"homepage":"title"}`), status: 422, field: "mapping"},
		{name: "no mapping", method: "POST", url: "/api/v1/forms", as: "admin", body: body(`{}`), status: 422, field: "mapping"},
		{name: "unknown source", method: "POST", url: "/api/v1/forms", as: "admin",
			body: `{"name":"Ф","responsible_id":` + itoa(mgr) + `,"source":"tv","mapping":{"a":"title"}}`, status: 422, field: "source"},
		{name: "unknown field", method: "POST", url: "/api/v1/forms", as: "admin", body: `{"name":"Ф","key":"x"}`, status: 422, field: "key"},
	})
	if n := ts.rowCount("form_keys"); n != 0 {
		t.Fatalf("bad requests created %d forms", n)
	}
	key := ts.newForm("web_form")
	runScenarios(t, ts, []scenario{
		{name: "list", method: "GET", url: "/api/v1/forms", as: "admin", status: 200, contains: []string{key, `"contact.phone"`}},
		{name: "disable", method: "DELETE", url: "/api/v1/forms/" + key, as: "admin", status: 204},
		{name: "disable unknown", method: "DELETE", url: "/api/v1/forms/nokey", as: "admin", status: 404},
	})
	if st, _ := ts.postForm(key, "application/x-www-form-urlencoded", "tel=1234567"); st != 404 {
		t.Errorf("a disabled form answers %d, want 404", st)
	}
}

func TestFormSubmissions(t *testing.T) {
	ts := newTestServer(t)
	key := ts.newForm("website")
	form := url.Values{"fio": {"Кузнецова Мария"}, "tel": {"+7 916 700-00-01"}, "org": {`ООО "Лютик"`}, "extra": {"x"}}
	st, body := ts.postForm(key, "application/x-www-form-urlencoded", form.Encode())
	if st != 200 || !strings.Contains(body, "Спасибо") || strings.Contains(body, "id") {
		t.Fatalf("form-encoded: %d %s", st, body)
	}
	st, body = ts.postForm(key, "application/json", `{"fio":"Олег Петров","mail":"oleg@x.ru","subject":"Хочу демо","age":42}`)
	if st != 200 {
		t.Fatalf("json: %d %s", st, body)
	}
	var n int
	ts.pg.Pool.QueryRow(context.Background(), `SELECT count(*) FROM leads WHERE source = 'website' AND responsible_id = $1
  AND ((contact_name = 'Кузнецова Мария' AND contact_phone = '+7 916 700-00-01' AND company_name = 'ООО "Лютик"' AND title = 'Заявка с формы «Заявка с сайта»')
    OR (contact_name = 'Олег Петров' AND contact_email = 'oleg@x.ru' AND title = 'Хочу демо'))`, ts.users["manager"].ID).Scan(&n)
	if n != 2 {
		t.Fatalf("leads from the form: %d, want 2", n)
	}
	leads := ts.rowCount("leads")
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
		st, body := ts.postForm(k, c.ct, c.body)
		if st != c.status || (c.not != "" && strings.Contains(body, c.not)) || strings.Contains(body, "goroutine") {
			t.Errorf("%s: %d %s, want %d without %q", c.name, st, body, c.status, c.not)
		}
	}
	if ts.rowCount("leads") != leads {
		t.Errorf("rejected or bot submissions created leads")
	}
	st, body = ts.postForm(key, "application/json", `{"mail":"nope"}`)
	var e struct{ Error server.ErrorBody }
	json.Unmarshal([]byte(body), &e)
	if e.Error.Field != "mail" {
		t.Errorf("the error names the form field: %s", body)
	}
}

// TestFormRateLimits runs a real listener so client addresses differ:
// 127.0.0.1 and 127.0.0.2 are both loopback on Linux.
func TestFormRateLimits(t *testing.T) {
	ts := newTestServer(t)
	key, other := ts.newForm("website"), ts.newForm("website")
	ts.srv = New(server.Deps{Store: ts.store, Ready: ts.store.Ping, Forms: server.FormLimits{PerAddress: 3, PerKey: 5}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go ts.srv.ServeListener(ctx, ln)
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
