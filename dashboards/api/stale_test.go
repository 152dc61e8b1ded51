package api_test

import (
	"context"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestStageStaleDays sets, clears and refuses a stage's stale-deal rule
// (PATCH /pipelines/{code}/stages/{id}); a refused request writes
// nothing, and GET /pipelines answers the rule.
func TestStageStaleDays(t *testing.T) {
	ts := dashtest.New(t)
	stage := func(pipeline, code string) string {
		var id int64
		const q = `SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.code = $1 AND s.code = $2`
		if err := ts.PG.Pool.QueryRow(context.Background(), q, pipeline, code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return "/api/v1/pipelines/" + pipeline + "/stages/" + dashtest.Itoa(id)
	}
	needs, won, lost := stage("sales", "needs"), stage("sales", "won"), stage("sales", "refused")
	lead := stage("leads", "new")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "manager may not", Method: "PATCH", URL: needs, As: "manager", Body: `{"stale_days":7}`, Status: 403},
		{Name: "analyst may not", Method: "PATCH", URL: needs, As: "analyst", Body: `{"stale_days":7}`, Status: 403},
		{Name: "zero", Method: "PATCH", URL: needs, As: "director", Body: `{"stale_days":0}`, Status: 422, Field: "stale_days", Contains: []string{"out_of_range"}},
		{Name: "negative", Method: "PATCH", URL: needs, As: "admin", Body: `{"stale_days":-3}`, Status: 422, Field: "stale_days", Contains: []string{"out_of_range"}},
		{Name: "fraction", Method: "PATCH", URL: needs, As: "admin", Body: `{"stale_days":1.5}`, Status: 422, Field: "stale_days"},
		{Name: "absent", Method: "PATCH", URL: needs, As: "admin", Body: `{}`, Status: 422, Field: "stale_days", Contains: []string{"required"}},
		{Name: "won stage", Method: "PATCH", URL: won, As: "director", Body: `{"stale_days":7}`, Status: 422, Field: "stale_days", Contains: []string{"closed_stage"}},
		{Name: "lost stage", Method: "PATCH", URL: lost, As: "director", Body: `{"stale_days":7}`, Status: 422, Field: "stale_days", Contains: []string{"closed_stage"}},
		{Name: "another pipeline's stage", Method: "PATCH", URL: "/api/v1/pipelines/interest/stages/" + needs[len("/api/v1/pipelines/sales/stages/"):], As: "admin", Body: `{"stale_days":7}`, Status: 404},
		{Name: "a lead pipeline", Method: "PATCH", URL: lead, As: "admin", Body: `{"stale_days":7}`, Status: 404},
	})
	if n := count(t, ts, `SELECT count(*) FROM stages WHERE stale_days IS NOT NULL`); n != 0 {
		t.Fatalf("refused requests wrote %d rules", n)
	}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "director sets", Method: "PATCH", URL: needs, As: "director", Body: `{"stale_days":7}`, Status: 200, Contains: []string{`"code":"needs"`, `"stale_days":7`}},
		{Name: "listed", Method: "GET", URL: "/api/v1/pipelines", As: "manager", Status: 200, Contains: []string{`"stale_days":7`, `"stale_days":null`}},
	})
	if n := count(t, ts, `SELECT count(*) FROM stages WHERE stale_days = 7 AND code = 'needs'`); n != 1 {
		t.Fatalf("rule stored %d times", n)
	}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "a bad one keeps the rule", Method: "PATCH", URL: needs, As: "admin", Body: `{"stale_days":0}`, Status: 422, Field: "stale_days"},
		{Name: "admin clears", Method: "PATCH", URL: needs, As: "admin", Body: `{"stale_days":null}`, Status: 200, NotContains: []string{`"stale_days":7`}},
	})
	if n := count(t, ts, `SELECT count(*) FROM stages WHERE stale_days IS NOT NULL`); n != 0 {
		t.Fatalf("cleared rule left %d", n)
	}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "create with a rule on a won stage", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "stages[1].stale_days",
			Body: `{"code":"p2","name":"x","stages":[{"code":"a","name":"A","kind":"open","probability":0,"group":"g","stale_days":3},{"code":"b","name":"B","kind":"won","probability":100,"group":"g","stale_days":3}],"transitions":[]}`},
		{Name: "create with a rule", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 201, Contains: []string{`"stale_days":3`},
			Body: `{"code":"p3","name":"x","stages":[{"code":"a","name":"A","kind":"open","probability":0,"group":"g","stale_days":3},{"code":"b","name":"B","kind":"won","probability":100,"group":"g"}],"transitions":[]}`},
	})
}

func count(t *testing.T, ts *dashtest.Server, q string) int {
	t.Helper()
	var n int
	if err := ts.PG.Pool.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
