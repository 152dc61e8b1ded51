package api_test

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/dashboards/dashtest"
)

func TestDuplicateControlAPI(t *testing.T) {
	ts := dashtest.New(t)
	var mine, theirs struct{ ID int64 }
	ts.DoJSON("POST", "/api/v1/leads", "manager", map[string]any{"title": "Мой", "source": "call",
		"contact": map[string]any{"name": "Сидоров Павел", "phone": "+7 495 123-45-67"}}, &mine)
	ts.DoJSON("POST", "/api/v1/leads", "manager2", map[string]any{"title": "Чужой", "source": "call",
		"contact": map[string]any{"name": "Анна Орлова", "email": "anna@orlova.ru"}}, &theirs)
	leads := ts.RowCount("leads")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "same phone written otherwise", Method: "POST", URL: "/api/v1/leads", As: "manager", Status: 409,
			Body:     `{"title":"Снова","source":"call","contact":{"name":"Павел","phone":"8 (495) 1234567"}}`,
			Contains: []string{"possible_duplicate", `"id":` + dashtest.Itoa(mine.ID), `"reasons":["phone"]`, `"hidden":0`}},
		{Name: "another manager's lead is not revealed", Method: "POST", URL: "/api/v1/leads", As: "manager", Status: 409,
			Body:     `{"title":"Снова","source":"call","contact":{"name":"Орлова Анна"}}`,
			Contains: []string{"possible_duplicate", `"candidates":[]`, `"hidden":1`}, NotContains: []string{"Чужой"}},
		{Name: "bad confirm value", Method: "POST", URL: "/api/v1/leads?confirm_duplicate=perhaps", As: "manager", Status: 422,
			Body: `{"title":"x","source":"call"}`, Field: "confirm_duplicate"},
		{Name: "company by name", Method: "POST", URL: "/api/v1/companies", As: "manager", Status: 201, Body: `{"name":"ООО «Альфа-Строй»"}`},
		{Name: "company again", Method: "POST", URL: "/api/v1/companies", As: "manager", Status: 409, Body: `{"name":"Альфа Строй, ЗАО"}`,
			Contains: []string{`"entity":"company"`, `"reasons":["company_name"]`}},
		{Name: "contact by e-mail", Method: "POST", URL: "/api/v1/contacts", As: "manager", Status: 201, Body: `{"first_name":"Ия","email":"ia@x.ru"}`},
		{Name: "contact again", Method: "POST", URL: "/api/v1/contacts", As: "manager", Status: 409, Body: `{"first_name":"Ия","email":" IA@X.RU"}`},
	})
	if ts.RowCount("leads") != leads || ts.RowCount("companies") != 1 || ts.RowCount("contacts") != 1 {
		t.Fatal("a refused create wrote a row")
	}
	var dup struct{ ID int64 }
	st := ts.DoJSON("POST", "/api/v1/leads?confirm_duplicate=true", "manager", map[string]any{"title": "Всё же", "source": "call",
		"contact": map[string]any{"phone": "84951234567"}}, &dup)
	if st != 201 {
		t.Fatalf("confirmed create: %d", st)
	}
	merge := `{"entity":"lead","keep_id":` + dashtest.Itoa(mine.ID) + `,"merge_id":` + dashtest.Itoa(dup.ID) + `}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "groups", Method: "GET", URL: "/api/v1/duplicates?entity=lead", As: "manager", Status: 200,
			Contains: []string{`"reason":"phone"`, `"key":"74951234567"`, "Всё же"}},
		{Name: "manager2 sees no group", Method: "GET", URL: "/api/v1/duplicates?entity=lead", As: "manager2", Status: 200, Contains: []string{"[]"}},
		{Name: "bad entity", Method: "GET", URL: "/api/v1/duplicates?entity=deal", As: "director", Status: 422, Field: "entity"},
		{Name: "merge by another manager", Method: "POST", URL: "/api/v1/duplicates/merge", As: "manager2", Body: merge, Status: 404},
		{Name: "merge", Method: "POST", URL: "/api/v1/duplicates/merge", As: "manager", Body: merge, Status: 200,
			Contains: []string{`"kept_id":` + dashtest.Itoa(mine.ID), `"activities":0`}},
		{Name: "history", Method: "GET", URL: "/api/v1/merges?entity=lead&id=" + dashtest.Itoa(mine.ID), As: "manager", Status: 200,
			Contains: []string{`"merged_id":` + dashtest.Itoa(dup.ID)}},
		{Name: "history needs id", Method: "GET", URL: "/api/v1/merges?entity=lead", As: "manager", Status: 422, Field: "id"},
	})
	if ts.RowCount("leads") != leads {
		t.Errorf("after the merge leads %d, want %d", ts.RowCount("leads"), leads)
	}
}

func TestImportAPI(t *testing.T) {
	ts := dashtest.New(t)
	csv, _ := charmap.Windows1251.NewEncoder().String("ФИО;Телефон;Компания\r\nИванова Ольга;+7 916 100-00-01;\"ООО \"\"Ёж\"\"\"\r\nПетров Пётр;8 916 100-00-01;\r\n")
	st, body := ts.PostImport("manager", "kind=leads&dry_run=true", "clients.csv", []byte(csv))
	if st != 200 || !strings.Contains(body, `"encoding":"cp1251"`) || !strings.Contains(body, `"created":1`) ||
		!strings.Contains(body, `"reason":"duplicate of line 2 (phone)"`) || ts.RowCount("leads") != 0 {
		t.Fatalf("dry run: %d %s", st, body)
	}
	req := httptest.NewRequest("POST", "/api/v1/imports?kind=leads&progress=ndjson", strings.NewReader(csv))
	req.Header.Set("Authorization", "Bearer "+ts.Tokens["manager"])
	resp, _ := ts.Srv.App().Test(req, -1)
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
	if n := ts.RowCount("leads"); n != 1 {
		t.Errorf("leads %d, want 1", n)
	}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "analyst", Method: "POST", URL: "/api/v1/imports?kind=leads", As: "analyst", Body: "a", Status: 403},
		{Name: "no file", Method: "POST", URL: "/api/v1/imports?kind=leads", As: "manager", Status: 422, Field: "file"},
		{Name: "bad kind", Method: "POST", URL: "/api/v1/imports?kind=deals", As: "manager", Body: "a;b", Status: 422, Field: "kind"},
		{Name: "bad map", Method: "POST", URL: "/api/v1/imports?kind=leads&map=nope", As: "manager", Body: "a;b", Status: 422, Field: "map"},
		{Name: "bad dry_run", Method: "POST", URL: "/api/v1/imports?kind=leads&dry_run=maybe", As: "manager", Body: "a;b", Status: 422, Field: "dry_run"},
		{Name: "other responsible", Method: "POST", URL: "/api/v1/imports?kind=leads&responsible_id=" + dashtest.Itoa(ts.Users["manager2"].ID),
			As: "manager", Body: "Телефон\n1234567\n", Status: 422, Field: "responsible_id"},
	})
	if n := ts.RowCount("leads"); n != 1 {
		t.Errorf("bad imports wrote leads: %d", n)
	}
}
