package schedule_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/schedule"
)

// alertEnv is the fixture with a saved report of olga's: the amount of
// this year's deals, one row (each reader sees their own deals' sum).
type alertEnv struct {
	*env
	reportID string
	version  uint64
}

func newAlertEnv(t *testing.T) *alertEnv {
	e := newEnv(t)
	def := reportstest.Def(t, `{"dataset":"deals","measures":[{"field":"amount","agg":"sum"}],"period":{"preset":"this_year"}}`)
	r, err := e.fx.Saved.Create(context.Background(), e.fx.Users["olga"], saved.NewReport{Name: "Сумма сделок за год", Definition: *def, Shared: true})
	if err != nil {
		t.Fatal(err)
	}
	return &alertEnv{env: e, reportID: itoa(r.ID), version: 1}
}

// change runs SQL on PostgreSQL and brings the deals to ClickHouse as a
// later change would.
func (e *alertEnv) change(t *testing.T, sql string) {
	t.Helper()
	if _, err := e.fx.PG.Pool.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
	e.version++
	testenv.Mirror(t, e.fx.PG, e.fx.CH, testenv.Copy{Tables: []string{"deals"}, Version: e.version})
}

// pgSum is a user's figure straight from PostgreSQL: the amount of the
// deals they may see (everyone's for olga) created in 2025, Moscow time.
func (e *alertEnv) pgSum(t *testing.T, who string) float64 {
	t.Helper()
	u := e.fx.Users[who]
	var sum float64
	err := e.fx.PG.Pool.QueryRow(context.Background(), `SELECT coalesce(sum(amount), 0)::float8 FROM deals
WHERE (responsible_id = $1 OR $2) AND created_at >= '2025-01-01 00:00+03' AND created_at < '2026-01-01 00:00+03'`,
		u.UserID, who == "olga").Scan(&sum)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// TestAlertFiresOnceAndClears: "tell me when the year's deals pass
// 4 000 ₽", to ivan, petr and olga, each read under their own access,
// checked every morning by two schedulers at once, reminding after two
// days. The figures move by a scripted series of changes; each day's
// messages are the events the figures computed from PostgreSQL imply:
//
//	day 1: ivan 3 800,50 (no), petr 4 825,25 (fired), olga 8 625,75 (fired)
//	       — ivan wins a 500 ₽ deal —
//	day 2: ivan 4 300,50 (fired), petr and olga still above: nothing
//	       — petr's P-1 falls from 4 000 to 100 —
//	day 3: petr 925,25 (cleared), olga 5 225,75 still above, told on day 1: reminded
//	day 4: ivan still above, told on day 2: reminded; nothing else
func TestAlertFiresOnceAndClears(t *testing.T) {
	e := newAlertEnv(t)
	srv := reportstest.NewSMTP(t, 0)
	a, b := e.service(t, "a", mailer(srv), ""), e.service(t, "b", mailer(srv), "")
	fx := e.fx
	ids := []int64{fx.Users["ivan"].UserID, fx.Users["petr"].UserID, fx.Users["olga"].UserID}
	al, err := a.CreateAlert(context.Background(), fx.Users["olga"], schedule.AlertInput{Name: ptr("Сделок больше чем на 4 000 ₽"),
		ReportID: &e.reportID, Measure: ptr("amount_sum"), Condition: ptr(schedule.CondAbove), Value: ptr(4000.0),
		Cron: ptr("0 9 * * *"), Recipients: &ids, RemindDays: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	day := func(d int, want map[string]string) {
		t.Helper()
		e.clock.Set(msk(2025, 3, 10+d, 9, 0).Add(30 * time.Second))
		var wg sync.WaitGroup
		for _, svc := range []*schedule.Service{a, b, a, b} {
			wg.Go(func() {
				if err := svc.TickAlerts(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got := map[string]string{}
		mails := srv.Mails()
		for _, m := range mails[seen:] {
			p, err := reportstest.ParseText(m.Data)
			if err != nil {
				t.Fatal(err)
			}
			who := strings.SplitN(m.To[0], "@", 2)[0]
			if got[who] != "" {
				t.Errorf("day %d: %s told twice", d, who)
			}
			switch {
			case strings.Contains(p.Subject, "всё ещё выполняется"):
				got[who] = schedule.EventReminded
			case strings.Contains(p.Subject, "больше не выполняется"):
				got[who] = schedule.EventCleared
			case strings.Contains(p.Subject, "условие выполнено"):
				got[who] = schedule.EventFired
			}
			// The figure in the letter is the recipient's own, as PostgreSQL sums it.
			if figure := strings.ReplaceAll(fmt.Sprintf("%.2f", e.pgSum(t, who)), ".", ","); !strings.Contains(strings.ReplaceAll(p.Body, "\u00a0", ""), figure) {
				t.Errorf("day %d: %s's letter does not give their figure %s: %q", d, who, figure, p.Body)
			}
		}
		seen = len(mails)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("day %d: messages %v, want %v", d, got, want)
		}
		runs, err := a.AlertRuns(context.Background(), fx.Users["olga"], al.ID)
		if err != nil || len(runs) != d || runs[0].Status != "succeeded" || len(runs[0].Checks) != 3 {
			t.Fatalf("day %d: runs %+v (%v), want %d, the newest succeeded with three checks", d, runs, err, d)
		}
		for _, c := range runs[0].Checks {
			who := map[int64]string{ids[0]: "ivan", ids[1]: "petr", ids[2]: "olga"}[c.UserID]
			if c.Value == nil || *c.Value != e.pgSum(t, who) || c.Holds != (e.pgSum(t, who) > 4000) {
				t.Errorf("day %d: %s's check %+v, want the value %.2f", d, who, c, e.pgSum(t, who))
			}
		}
	}
	day(1, map[string]string{"petr": "fired", "olga": "fired"})
	e.change(t, `INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT 'I-4', p.id, s.id, 500, 'RUB', u.id, '2025-03-10 10:00+03', '2025-03-10 10:00+03'
FROM pipelines p JOIN stages s ON s.pipeline_id = p.id AND s.code = 'won' JOIN users u ON u.email = 'ivan@test.local' WHERE p.code = 'sales'`)
	day(2, map[string]string{"ivan": "fired"})
	e.change(t, `UPDATE deals SET amount = 100, updated_at = '2025-03-12 10:00+03' WHERE title = 'P-1'`)
	day(3, map[string]string{"petr": "cleared", "olga": "reminded"})
	day(4, map[string]string{"ivan": "reminded"})
}

// TestAlertBadInput: 422 on the field, nothing saved.
func TestAlertBadInput(t *testing.T) {
	e := newAlertEnv(t)
	svc := e.service(t, "a", nil, t.TempDir())
	fx := e.fx
	ids := []int64{fx.Users["olga"].UserID}
	good := func() schedule.AlertInput {
		return schedule.AlertInput{Name: ptr("Порог"), ReportID: &e.reportID, Measure: ptr("amount_sum"),
			Condition: ptr(schedule.CondBelow), Value: ptr(1000.0), Cron: ptr("0 9 * * 1-5"), Recipients: &ids}
	}
	// A report only olga sees: ivan may not be told of it.
	private, err := fx.Saved.Create(context.Background(), fx.Users["olga"], saved.NewReport{Name: "Только мой",
		Definition: *reportstest.Def(t, `{"dataset":"deals","measures":[{"field":"amount","agg":"sum"}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		edit  func(*schedule.AlertInput)
		field string
	}{
		{"no value", func(in *schedule.AlertInput) { in.Value = nil }, "value"},
		{"a measure the report lacks", func(in *schedule.AlertInput) { in.Measure = ptr("count") }, "measure"},
		{"unknown condition", func(in *schedule.AlertInput) { in.Condition = ptr("equals") }, "condition"},
		{"a change of no percent", func(in *schedule.AlertInput) { in.Condition = ptr(schedule.CondDropMoreThan); in.Value = ptr(0.0) }, "value"},
		{"forecast of a sum", func(in *schedule.AlertInput) { in.Condition = ptr(schedule.CondForecastBelow) }, "measure"},
		{"a cell column the report lacks", func(in *schedule.AlertInput) { in.Cell = &map[string]any{"stage": "new"} }, "cell.stage"},
		{"bad cron", func(in *schedule.AlertInput) { in.Cron = ptr("every day") }, "cron"},
		{"no recipients", func(in *schedule.AlertInput) { in.Recipients = &[]int64{} }, "recipients"},
		{"unknown recipient", func(in *schedule.AlertInput) { in.Recipients = &[]int64{999999} }, "recipients[0]"},
		{"a recipient who may not see the report", func(in *schedule.AlertInput) {
			in.ReportID = ptr(itoa(private.ID))
			in.Recipients = &[]int64{fx.Users["olga"].UserID, fx.Users["ivan"].UserID}
		}, "recipients[1]"},
		{"negative reminder", func(in *schedule.AlertInput) { in.RemindDays = ptr(-1) }, "remind_days"},
	} {
		in := good()
		c.edit(&in)
		_, err := svc.CreateAlert(context.Background(), fx.Users["olga"], in)
		if ae := apperr.As(err); ae == nil || ae.Kind != apperr.Invalid || ae.Field != c.field {
			t.Errorf("%s: %v, want 422 on %s", c.name, err, c.field)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM alerts`); n != 0 {
		t.Errorf("%d alerts saved by bad input", n)
	}
	if _, err := svc.CreateAlert(context.Background(), fx.Users["ivan"], good()); apperr.As(err) == nil || apperr.As(err).Kind != apperr.Forbidden {
		t.Errorf("a manager sets an alert: %v, want 403", err)
	}
	if _, err := svc.CreateAlert(context.Background(), fx.Users["olga"], good()); err != nil {
		t.Errorf("the good alert: %v", err)
	}
}

// TestAlertOnAFunnelStep is the issue's sentence: "tell me when the
// conversion to Подготовка КП drops below 60 %" — the standard sales
// funnel's row of the proposal step, its conversion from the previous
// step. The funnel's own figures are checked against PostgreSQL in the
// engine's tests; here the threshold is set just above the figure the
// engine gives olga, so the first check must fire, with that figure in
// the letter, and the second must tell nobody.
func TestAlertOnAFunnelStep(t *testing.T) {
	e := newAlertEnv(t)
	srv := reportstest.NewSMTP(t, 0)
	svc := e.service(t, "a", mailer(srv), "")
	olga := e.fx.Users["olga"]
	_, def, err := e.fx.Saved.Definition(context.Background(), olga, "sales_funnel", "", "")
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(msk(2025, 3, 11, 9, 0).Add(30 * time.Second))
	eng := e.fx.Engine.Clone()
	eng.Now = func() time.Time { return msk(2025, 3, 11, 9, 0) }
	res, err := eng.Run(context.Background(), olga, &def)
	if err != nil {
		t.Fatal(err)
	}
	var conv float64
	for _, r := range res.Rows {
		if r[0] == "proposal" {
			fmt.Sscan(fmt.Sprint(r[4]), &conv)
		}
	}
	if res.Columns[0].Key != "stage" || res.Columns[4].Key != "conversion_from_prev" || conv <= 0 {
		t.Fatalf("funnel columns %v, proposal's conversion %v: the test's reading is out of date", res.Columns, conv)
	}
	ids := []int64{olga.UserID}
	al, err := svc.CreateAlert(context.Background(), olga, schedule.AlertInput{Name: ptr("Конверсия в КП"), ReportID: ptr("sales_funnel"),
		Measure: ptr("conversion_from_prev"), Cell: &map[string]any{"stage": "proposal"}, Condition: ptr(schedule.CondBelow),
		Value: ptr(conv*100 + 1), Cron: ptr("0 9 * * *"), Recipients: &ids})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{schedule.EventFired, schedule.EventNone} {
		run, err := svc.CheckAlert(context.Background(), olga, al.ID)
		if err != nil || len(run.Checks) != 1 || run.Checks[0].Event != want || run.Checks[0].Value == nil ||
			fmt.Sprintf("%.2f", *run.Checks[0].Value) != fmt.Sprintf("%.2f", conv*100) {
			t.Fatalf("check %d: %+v (%v), want %s at %.2f %%", i+1, run, err, want, conv*100)
		}
	}
	if mails := srv.Mails(); len(mails) != 1 {
		t.Fatalf("%d letters, want one", len(mails))
	} else if p, _ := reportstest.ParseText(mails[0].Data); !strings.Contains(p.Subject, "«Конверсия в КП» — условие выполнено") ||
		!strings.Contains(p.Body, "Конверсия из предыдущего шага") || !strings.Contains(p.Body, "/reports/sales_funnel") {
		t.Errorf("letter %q: %q", p.Subject, p.Body)
	}
}
