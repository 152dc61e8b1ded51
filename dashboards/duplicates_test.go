package dashboards

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func TestDuplicateControlAPI(t *testing.T) {
	ts := newTestServer(t)
	var mine, theirs struct{ ID int64 }
	ts.doJSON("POST", "/api/v1/leads", "manager", map[string]any{"title": "Мой", "source": "call",
		"contact": map[string]any{"name": "Сидоров Павел", "phone": "+7 495 123-45-67"}}, &mine)
	ts.doJSON("POST", "/api/v1/leads", "manager2", map[string]any{"title": "Чужой", "source": "call",
		"contact": map[string]any{"name": "Анна Орлова", "email": "anna@orlova.ru"}}, &theirs)
	leads := ts.rowCount("leads")
	runScenarios(t, ts, []scenario{
		{name: "same phone written otherwise", method: "POST", url: "/api/v1/leads", as: "manager", status: 409,
			body:     `{"title":"Снова","source":"call","contact":{"name":"Павел","phone":"8 (495) 1234567"}}`,
			contains: []string{"possible_duplicate", `"id":` + itoa(mine.ID), `"reasons":["phone"]`, `"hidden":0`}},
		{name: "another manager's lead is not revealed", method: "POST", url: "/api/v1/leads", as: "manager", status: 409,
			body:     `{"title":"Снова","source":"call","contact":{"name":"Орлова Анна"}}`,
			contains: []string{"possible_duplicate", `"candidates":[]`, `"hidden":1`}, notContains: []string{"Чужой"}},
		{name: "bad confirm value", method: "POST", url: "/api/v1/leads?confirm_duplicate=perhaps", as: "manager", status: 422,
			body: `{"title":"x","source":"call"}`, field: "confirm_duplicate"},
		{name: "company by name", method: "POST", url: "/api/v1/companies", as: "manager", status: 201, body: `{"name":"ООО «Альфа-Строй»"}`},
		{name: "company again", method: "POST", url: "/api/v1/companies", as: "manager", status: 409, body: `{"name":"Альфа Строй, ЗАО"}`,
			contains: []string{`"entity":"company"`, `"reasons":["company_name"]`}},
		{name: "contact by e-mail", method: "POST", url: "/api/v1/contacts", as: "manager", status: 201, body: `{"first_name":"Ия","email":"ia@x.ru"}`},
		{name: "contact again", method: "POST", url: "/api/v1/contacts", as: "manager", status: 409, body: `{"first_name":"Ия","email":" IA@X.RU"}`},
	})
	if ts.rowCount("leads") != leads || ts.rowCount("companies") != 1 || ts.rowCount("contacts") != 1 {
		t.Fatal("a refused create wrote a row")
	}
	var dup struct{ ID int64 }
	st := ts.doJSON("POST", "/api/v1/leads?confirm_duplicate=true", "manager", map[string]any{"title": "Всё же", "source": "call",
		"contact": map[string]any{"phone": "84951234567"}}, &dup)
	if st != 201 {
		t.Fatalf("confirmed create: %d", st)
	}
	merge := `{"entity":"lead","keep_id":` + itoa(mine.ID) + `,"merge_id":` + itoa(dup.ID) + `}`
	runScenarios(t, ts, []scenario{
		{name: "groups", method: "GET", url: "/api/v1/duplicates?entity=lead", as: "manager", status: 200,
			contains: []string{`"reason":"phone"`, `"key":"74951234567"`, "Всё же"}},
		{name: "manager2 sees no group", method: "GET", url: "/api/v1/duplicates?entity=lead", as: "manager2", status: 200, contains: []string{"[]"}},
		{name: "bad entity", method: "GET", url: "/api/v1/duplicates?entity=deal", as: "director", status: 422, field: "entity"},
		{name: "merge by another manager", method: "POST", url: "/api/v1/duplicates/merge", as: "manager2", body: merge, status: 404},
		{name: "merge", method: "POST", url: "/api/v1/duplicates/merge", as: "manager", body: merge, status: 200,
			contains: []string{`"kept_id":` + itoa(mine.ID), `"activities":0`}},
		{name: "history", method: "GET", url: "/api/v1/merges?entity=lead&id=" + itoa(mine.ID), as: "manager", status: 200,
			contains: []string{`"merged_id":` + itoa(dup.ID)}},
		{name: "history needs id", method: "GET", url: "/api/v1/merges?entity=lead", as: "manager", status: 422, field: "id"},
	})
	if ts.rowCount("leads") != leads {
		t.Errorf("after the merge leads %d, want %d", ts.rowCount("leads"), leads)
	}
}

// postImport sends a file to POST /api/v1/imports as multipart.
func (ts *testServer) postImport(as, query, name string, data []byte) (int, string) {
	ts.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/imports?"+query, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+ts.tokens[as])
	resp, err := ts.srv.App().Test(req, -1)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestImportAPI(t *testing.T) {
	ts := newTestServer(t)
	csv, _ := charmap.Windows1251.NewEncoder().String("ФИО;Телефон;Компания\r\nИванова Ольга;+7 916 100-00-01;\"ООО \"\"Ёж\"\"\"\r\nПетров Пётр;8 916 100-00-01;\r\n")
	st, body := ts.postImport("manager", "kind=leads&dry_run=true", "clients.csv", []byte(csv))
	if st != 200 || !strings.Contains(body, `"encoding":"cp1251"`) || !strings.Contains(body, `"created":1`) ||
		!strings.Contains(body, `"reason":"duplicate of line 2 (phone)"`) || ts.rowCount("leads") != 0 {
		t.Fatalf("dry run: %d %s", st, body)
	}
	req := httptest.NewRequest("POST", "/api/v1/imports?kind=leads&progress=ndjson", strings.NewReader(csv))
	req.Header.Set("Authorization", "Bearer "+ts.tokens["manager"])
	resp, _ := ts.srv.App().Test(req, -1)
	b, _ := io.ReadAll(resp.Body)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var last struct {
		Report struct {
			Applied bool
			Created int
		}
	}
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if len(lines) != 2 || lines[0] != `{"progress":{"done":2,"total":2}}` || !last.Report.Applied || last.Report.Created != 1 {
		t.Fatalf("ndjson: %s", b)
	}
	if n := ts.rowCount("leads"); n != 1 {
		t.Errorf("leads %d, want 1", n)
	}
	runScenarios(t, ts, []scenario{
		{name: "analyst", method: "POST", url: "/api/v1/imports?kind=leads", as: "analyst", body: "a", status: 403},
		{name: "no file", method: "POST", url: "/api/v1/imports?kind=leads", as: "manager", status: 422, field: "file"},
		{name: "bad kind", method: "POST", url: "/api/v1/imports?kind=deals", as: "manager", body: "a;b", status: 422, field: "kind"},
		{name: "bad map", method: "POST", url: "/api/v1/imports?kind=leads&map=nope", as: "manager", body: "a;b", status: 422, field: "map"},
		{name: "bad dry_run", method: "POST", url: "/api/v1/imports?kind=leads&dry_run=maybe", as: "manager", body: "a;b", status: 422, field: "dry_run"},
		{name: "other responsible", method: "POST", url: "/api/v1/imports?kind=leads&responsible_id=" + itoa(ts.users["manager2"].ID),
			as: "manager", body: "Телефон\n1234567\n", status: 422, field: "responsible_id"},
	})
	if n := ts.rowCount("leads"); n != 1 {
		t.Errorf("bad imports wrote leads: %d", n)
	}
}
