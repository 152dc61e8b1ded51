package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// PUT /plans/batch (issue 17): the plan page's Save — several metrics,
// months and pipelines in one transaction. Sending it again changes
// nothing; one bad target anywhere stores nothing (not even the good
// sets beside it) and the 422 names the set; managers and analysts may
// not.
func TestPlansBatchAPI(t *testing.T) {
	ts := dashtest.New(t)
	m, m2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	target := func(id int64, v string) string { return fmt.Sprintf(`{"responsible_id":%d,"value":%s}`, id, v) }
	set := func(metric, month, pipeline string, targets ...string) string {
		p := ""
		if pipeline != "" {
			p = fmt.Sprintf(`"pipeline":%q,`, pipeline)
		}
		return fmt.Sprintf(`{"metric":%q,"month":%q,%s"targets":[%s]}`, metric, month, p, strings.Join(targets, ","))
	}
	batch := func(sets ...string) string { return `{"sets":[` + strings.Join(sets, ",") + `]}` }
	month := batch(
		set("won_amount", "2026-03", "", target(m, `"1500000"`), target(m2, `"1234567.89"`)),
		set("calls", "2026-03", "", target(m, "120"), target(m2, "80")),
		set("new_deals", "2026-03", "sales", target(m, "15")),
	)
	plan := func(metric, pipeline string, id int64, value string) string {
		return fmt.Sprintf(`{"metric":%q,"month":"2026-03","pipeline":%s,"responsible_id":%d,"value":%s}`, metric, pipeline, id, value)
	}
	all := []string{`"total":5`,
		plan("won_amount", "null", m, "1500000.00"), plan("won_amount", "null", m2, "1234567.89"),
		plan("calls", "null", m, "120.00"), plan("calls", "null", m2, "80.00"), plan("new_deals", `"sales"`, m, "15.00")}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "director saves the month", Method: "PUT", URL: "/api/v1/plans/batch", As: "director", Body: month, Status: 200, Contains: all},
	})
	before := tableDigest(ts, "plans")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "the same again", Method: "PUT", URL: "/api/v1/plans/batch", As: "admin", Body: month, Status: 200, Contains: all},
		{Name: "the API reads the same", Method: "GET", URL: "/api/v1/plans?month=2026-03", As: "analyst", Status: 200, Contains: all},
	})
	if after := tableDigest(ts, "plans"); after != before {
		t.Errorf("the same batch again rewrote the plans: %s → %s", before, after)
	}

	// A change to set 0 beside a bad set 2: nothing stored, the field is set 2's.
	changed := func(bad string) string {
		return batch(set("won_amount", "2026-03", "", target(m, `"2000000"`)), set("calls", "2026-04", "", target(m, "10")), bad)
	}
	bad := func(name, as, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "PUT", URL: "/api/v1/plans/batch?lang=ru", As: as, Body: body, Status: status, Field: field}
	}
	runRejects(t, ts, []string{"plans"}, []dashtest.Scenario{
		bad("negative in set 2", "director", changed(set("meetings", "2026-03", "", target(m2, "1"), target(m, "-5"))), 422, "sets[2].targets[1].value"),
		bad("fractional count in set 2", "director", changed(set("won_count", "2026-03", "", target(m, "2.5"))), 422, "sets[2].targets[0].value"),
		bad("three decimals of roubles", "director", changed(set("won_amount", "2026-05", "", target(m, "1.005"))), 422, "sets[2].targets[0].value"),
		bad("unknown metric", "director", changed(set("revenue", "2026-03", "", target(m, "1"))), 422, "sets[2].metric"),
		bad("bad month", "director", changed(set("calls", "2026-13", "", target(m, "1"))), 422, "sets[2].month"),
		bad("unknown pipeline", "director", changed(set("calls", "2026-03", "nope", target(m, "1"))), 422, "sets[2].pipeline"),
		bad("not a manager", "director", changed(set("calls", "2026-03", "", target(ts.Users["director"].ID, "1"))), 422, "sets[2].targets[0].responsible_id"),
		bad("unknown user", "director", changed(set("calls", "2026-03", "", target(987654, "1"))), 422, "sets[2].targets[0].responsible_id"),
		bad("the same target in two sets", "director", changed(set("won_amount", "2026-03", "", target(m, "5"))), 422, "sets[2].targets[0].responsible_id"),
		bad("no sets", "director", `{"sets":[]}`, 422, "sets"),
		bad("not a number", "director", changed(set("calls", "2026-03", "", target(m, `"много"`))), 422, "sets.targets.value"),
		bad("unknown field", "director", `{"sets":[],"month":"2026-03"}`, 422, "month"),
		bad("manager", "manager", month, 403, ""),
		bad("analyst", "analyst", month, 403, ""),
	})
	if st, body := ts.Do("PUT", "/api/v1/plans/batch?lang=ru", "director", changed(set("won_count", "2026-03", "", target(m, "2.5")))); st != 422 || !strings.Contains(body, "Нужно целое число.") {
		t.Errorf("a fractional count: %d %s, want the Russian message", st, body)
	}
	// null removes one, other metrics stay.
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "null removes", Method: "PUT", URL: "/api/v1/plans/batch", As: "director", Status: 200,
			Body:     batch(set("calls", "2026-03", "", target(m2, "null"))),
			Contains: []string{`"total":1`, plan("calls", "null", m, "120.00")}, NotContains: []string{plan("calls", "null", m2, "80.00")}},
		{Name: "four left", Method: "GET", URL: "/api/v1/plans?month=2026-03", As: "director", Status: 200, Contains: []string{`"total":4`}},
	})
}
