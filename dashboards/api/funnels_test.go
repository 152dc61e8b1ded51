package api_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
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
func newFunnelServer(t *testing.T) *dashtest.Server {
	t.Helper()
	return dashtest.NewEngine(t, funnelFixture)
}

func TestFunnelsRun(t *testing.T) {
	ts := newFunnelServer(t)
	const url = "/api/v1/funnels/run"
	const jan = `"period":{"from":"2025-01-01","to":"2025-01-31"}`
	deals := ts.RowCount("deals")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: url, Body: `{"pipeline":"sales",` + jan + `}`, Status: 401},
		{Name: "director sees all four", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales",` + jan + `,"mode":"reached"}`, Status: 200,
			Contains: []string{`"stage":"new","name":"Не обработана","count":4,"amount":9600.00`, `"stage":"first_contact","name":"Первичный контакт","count":2,"amount":4000.00`,
				`"stage":"needs","name":"Сбор потребностей","count":1,"amount":1000.00,"conversion_from_prev":0.5,"conversion_from_first":0.25`,
				`"lost":[{"stage":"new","name":"Не обработана","count":1,"amount":2000.00}`}},
		{Name: "manager sees only own", Method: "POST", URL: url, As: "manager", Body: `{"pipeline":"sales",` + jan + `}`, Status: 200,
			Contains:    []string{`"stage":"new","name":"Не обработана","count":2,"amount":3000.00`, `"stage":"first_contact","name":"Первичный контакт","count":1,"amount":1000.00`},
			NotContains: []string{`"count":4`, `"amount":9600.00`}},
		{Name: "manager2 sees only own", Method: "POST", URL: url, As: "manager2", Body: `{"pipeline":"sales",` + jan + `}`, Status: 200,
			Contains: []string{`"stage":"new","name":"Не обработана","count":2,"amount":6600.00`, `"stage":"needs","name":"Сбор потребностей","count":0`}},
		{Name: "manager's breakdown holds no one else", Method: "POST", URL: url, As: "manager", Status: 200,
			Body:        `{"pipeline":"sales",` + jan + `,"breakdown":"responsible"}`,
			Contains:    []string{`"label":"Иванов Иван Иванович"`},
			NotContains: []string{"Петрова"}},
		{Name: "current snapshot", Method: "POST", URL: url, As: "analyst", Status: 200,
			Body:     `{"pipeline":"sales","mode":"current","as_of":"2025-01-12T11:00:00Z"}`,
			Contains: []string{`"stage":"new","name":"Не обработана","count":0`, `"stage":"first_contact","name":"Первичный контакт","count":1`, `"stage":"needs","name":"Сбор потребностей","count":1`, `"stage":"refused","name":"Отказ","count":1`}},
		{Name: "unknown pipeline", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"nope",` + jan + `}`, Status: 422, Field: "pipeline"},
		{Name: "lead pipeline", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"leads",` + jan + `}`, Status: 422, Field: "pipeline"},
		{Name: "missing pipeline", Method: "POST", URL: url, As: "director", Body: `{` + jan + `}`, Status: 422, Field: "pipeline"},
		{Name: "bad mode", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales","mode":"sideways",` + jan + `}`, Status: 422, Field: "mode"},
		{Name: "reached needs a period", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales"}`, Status: 422, Field: "period"},
		{Name: "period backwards", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales","period":{"from":"2025-02-01","to":"2025-01-01"}}`, Status: 422, Field: "period.to"},
		{Name: "unknown preset", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales","period":{"preset":"next_century"}}`, Status: 422, Field: "period.preset"},
		{Name: "period by another date", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales","period":{"field":"closed_at","preset":"this_year"}}`, Status: 422, Field: "period.field"},
		{Name: "bad date", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales","period":{"from":"31.01.2025","to":"2025-02-01"}}`, Status: 422, Field: "period.from"},
		{Name: "as_of in reached mode", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales",` + jan + `,"as_of":"2025-01-01"}`, Status: 422, Field: "as_of"},
		{Name: "bad as_of", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales","mode":"current","as_of":"yesterday"}`, Status: 422, Field: "as_of"},
		{Name: "negative window", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales",` + jan + `,"window_days":-1}`, Status: 422, Field: "window_days"},
		{Name: "window of the wrong type", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales",` + jan + `,"window_days":"week"}`, Status: 422, Field: "window_days"},
		{Name: "unknown breakdown", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales",` + jan + `,"breakdown":"password_hash"}`, Status: 422, Field: "breakdown"},
		{Name: "unknown field", Method: "POST", URL: url, As: "director", Body: `{"pipeline":"sales",` + jan + `,"colour":"red"}`, Status: 422, Field: "colour"},
		{Name: "malformed JSON", Method: "POST", URL: url, As: "director", Body: `{"pipeline":`, Status: 400},
		{Name: "non-UTF-8", Method: "POST", URL: url, As: "director", Body: "{\"pipeline\":\"sal\xffes\"," + jan + "}", Status: 422, Field: "pipeline"},
	})
	if n := ts.RowCount("deals"); n != deals {
		t.Errorf("deals %d after running funnels, want %d", n, deals)
	}
}

// TestFunnelsSpec: the route describes itself in the OpenAPI document.
func TestFunnelsSpec(t *testing.T) {
	resp, err := dashboards.New(server.Deps{}).App().Test(httptest.NewRequest("GET", "/api/v1/openapi.json", nil), -1)
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
