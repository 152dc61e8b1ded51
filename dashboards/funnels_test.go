package dashboards

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/server"
)

// funnelFixture: four deals of "sales" created in January 2025 (UTC):
// manager's F1 new → first_contact → needs (1000 ₽) and F2 new → refused
// (2000 ₽); manager2's F3 new → first_contact (3000 ₽) and F4 new (40 USD
// at 90 = 3600 ₽). %[1]d is manager's id, %[2]d manager2's.
const funnelFixture = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT v.title, p.id, s.id, v.amount, v.cur, v.resp, v.at::timestamptz, v.at::timestamptz
FROM (VALUES ('F1', 'needs', 1000, 'RUB', %[1]d, '2025-01-10 10:00Z'), ('F2', 'refused', 2000, 'RUB', %[1]d, '2025-01-11 10:00Z'),
             ('F3', 'first_contact', 3000, 'RUB', %[2]d, '2025-01-12 10:00Z'), ('F4', 'new', 40, 'USD', %[2]d, '2025-01-13 10:00Z'))
     AS v (title, stage, amount, cur, resp, at)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage;
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
SELECT d.id, d.pipeline_id, f.id, t.id, d.created_at + v.hours * interval '1 hour'
FROM (VALUES ('F1', NULL, 'new', 0), ('F1', 'new', 'first_contact', 1), ('F1', 'first_contact', 'needs', 2),
             ('F2', NULL, 'new', 0), ('F2', 'new', 'refused', 1),
             ('F3', NULL, 'new', 0), ('F3', 'new', 'first_contact', 1), ('F4', NULL, 'new', 0))
     AS v (title, from_code, to_code, hours)
JOIN deals d ON d.title = v.title
LEFT JOIN stages f ON f.pipeline_id = d.pipeline_id AND f.code = v.from_code
JOIN stages t ON t.pipeline_id = d.pipeline_id AND t.code = v.to_code;`

// newFunnelServer is the harness with the fixture copied to ClickHouse
// and the server given a report engine over it.
func newFunnelServer(t *testing.T) *testServer {
	t.Helper()
	return newEngineServer(t, funnelFixture)
}

func TestFunnelsRun(t *testing.T) {
	ts := newFunnelServer(t)
	const url = "/api/v1/funnels/run"
	const jan = `"period":{"from":"2025-01-01","to":"2025-01-31"}`
	deals := ts.rowCount("deals")
	runScenarios(t, ts, []scenario{
		{name: "anonymous", method: "POST", url: url, body: `{"pipeline":"sales",` + jan + `}`, status: 401},
		{name: "director sees all four", method: "POST", url: url, as: "director", body: `{"pipeline":"sales",` + jan + `,"mode":"reached"}`, status: 200,
			contains: []string{`"stage":"new","name":"Не обработана","count":4,"amount":9600.00`, `"stage":"first_contact","name":"Первичный контакт","count":2,"amount":4000.00`,
				`"stage":"needs","name":"Сбор потребностей","count":1,"amount":1000.00,"conversion_from_prev":0.5,"conversion_from_first":0.25`,
				`"lost":[{"stage":"new","name":"Не обработана","count":1,"amount":2000.00}`}},
		{name: "manager sees only own", method: "POST", url: url, as: "manager", body: `{"pipeline":"sales",` + jan + `}`, status: 200,
			contains:    []string{`"stage":"new","name":"Не обработана","count":2,"amount":3000.00`, `"stage":"first_contact","name":"Первичный контакт","count":1,"amount":1000.00`},
			notContains: []string{`"count":4`, `"amount":9600.00`}},
		{name: "manager2 sees only own", method: "POST", url: url, as: "manager2", body: `{"pipeline":"sales",` + jan + `}`, status: 200,
			contains: []string{`"stage":"new","name":"Не обработана","count":2,"amount":6600.00`, `"stage":"needs","name":"Сбор потребностей","count":0`}},
		{name: "manager's breakdown holds no one else", method: "POST", url: url, as: "manager", status: 200,
			body:        `{"pipeline":"sales",` + jan + `,"breakdown":"responsible"}`,
			contains:    []string{`"label":"Иванов Иван Иванович"`},
			notContains: []string{"Петрова"}},
		{name: "current snapshot", method: "POST", url: url, as: "analyst", status: 200,
			body:     `{"pipeline":"sales","mode":"current","as_of":"2025-01-12T11:00:00Z"}`,
			contains: []string{`"stage":"new","name":"Не обработана","count":0`, `"stage":"first_contact","name":"Первичный контакт","count":1`, `"stage":"needs","name":"Сбор потребностей","count":1`, `"stage":"refused","name":"Отказ","count":1`}},
		{name: "unknown pipeline", method: "POST", url: url, as: "director", body: `{"pipeline":"nope",` + jan + `}`, status: 422, field: "pipeline"},
		{name: "lead pipeline", method: "POST", url: url, as: "director", body: `{"pipeline":"leads",` + jan + `}`, status: 422, field: "pipeline"},
		{name: "missing pipeline", method: "POST", url: url, as: "director", body: `{` + jan + `}`, status: 422, field: "pipeline"},
		{name: "bad mode", method: "POST", url: url, as: "director", body: `{"pipeline":"sales","mode":"sideways",` + jan + `}`, status: 422, field: "mode"},
		{name: "reached needs a period", method: "POST", url: url, as: "director", body: `{"pipeline":"sales"}`, status: 422, field: "period"},
		{name: "period backwards", method: "POST", url: url, as: "director", body: `{"pipeline":"sales","period":{"from":"2025-02-01","to":"2025-01-01"}}`, status: 422, field: "period.to"},
		{name: "unknown preset", method: "POST", url: url, as: "director", body: `{"pipeline":"sales","period":{"preset":"next_century"}}`, status: 422, field: "period.preset"},
		{name: "period by another date", method: "POST", url: url, as: "director", body: `{"pipeline":"sales","period":{"field":"closed_at","preset":"this_year"}}`, status: 422, field: "period.field"},
		{name: "bad date", method: "POST", url: url, as: "director", body: `{"pipeline":"sales","period":{"from":"31.01.2025","to":"2025-02-01"}}`, status: 422, field: "period.from"},
		{name: "as_of in reached mode", method: "POST", url: url, as: "director", body: `{"pipeline":"sales",` + jan + `,"as_of":"2025-01-01"}`, status: 422, field: "as_of"},
		{name: "bad as_of", method: "POST", url: url, as: "director", body: `{"pipeline":"sales","mode":"current","as_of":"yesterday"}`, status: 422, field: "as_of"},
		{name: "negative window", method: "POST", url: url, as: "director", body: `{"pipeline":"sales",` + jan + `,"window_days":-1}`, status: 422, field: "window_days"},
		{name: "window of the wrong type", method: "POST", url: url, as: "director", body: `{"pipeline":"sales",` + jan + `,"window_days":"week"}`, status: 422, field: "window_days"},
		{name: "unknown breakdown", method: "POST", url: url, as: "director", body: `{"pipeline":"sales",` + jan + `,"breakdown":"password_hash"}`, status: 422, field: "breakdown"},
		{name: "unknown field", method: "POST", url: url, as: "director", body: `{"pipeline":"sales",` + jan + `,"colour":"red"}`, status: 422, field: "colour"},
		{name: "malformed JSON", method: "POST", url: url, as: "director", body: `{"pipeline":`, status: 400},
		{name: "non-UTF-8", method: "POST", url: url, as: "director", body: "{\"pipeline\":\"sal\xffes\"," + jan + "}", status: 422, field: "pipeline"},
	})
	if n := ts.rowCount("deals"); n != deals {
		t.Errorf("deals %d after running funnels, want %d", n, deals)
	}
}

// TestFunnelsSpec: the route describes itself in the OpenAPI document.
func TestFunnelsSpec(t *testing.T) {
	resp, err := New(server.Deps{}).App().Test(httptest.NewRequest("GET", "/api/v1/openapi.json", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	spec := string(b)
	for _, want := range []string{"/funnels/run", "conversion_from_prev", "median_hours_in_stage", "window_days", "breakdown"} {
		if !strings.Contains(spec, want) {
			t.Errorf("spec lacks %s", want)
		}
	}
}
