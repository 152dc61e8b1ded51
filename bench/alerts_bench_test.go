// Evaluating alerts (issue 20): a round of 1,000 alerts over the report
// benchmarks' fixture (1,000,000 deals), each with two recipients — the
// director and one of the managers — on four reports: the deals by stage
// (a count), the sales funnel (the proposal step's conversion), manager
// activity (calls) and plan-fact (the forecast against the plan). Figures
// and the command are in BENCHMARKS.md ("Alerts").

package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/schedule"
)

// BenchmarkAlertRound inserts VORONKA_BENCH_ALERTS alerts (default 1,000)
// due at 09:00 Moscow on the day after benchNow, then times the round
// that checks them all (TickAlerts), and a second round a day later
// (every recipient's standing known: what repeats):
//
//	go test ./bench -run XXX -bench AlertRound -benchtime 1x -timeout 60m -v
//
// Reports the round's time, checks a second, the distinct report runs
// the round needed (alerts on one report for people who see the same
// rows share one), and ClickHouse's share of the round (the report runs'
// SQL time, summed, over the round's time).
func BenchmarkAlertRound(b *testing.B) {
	f := newReportsFixture(b)
	ctx := context.Background()
	n := envInt("VORONKA_BENCH_ALERTS", 1000)
	var director int64
	if err := f.pg.Pool.QueryRow(ctx, `SELECT id FROM users WHERE role = 'director' AND active ORDER BY id LIMIT 1`).Scan(&director); err != nil {
		b.Fatal(err)
	}
	var managers []int64
	rows, err := f.pg.Pool.Query(ctx, `SELECT id FROM users WHERE role = 'manager' AND active ORDER BY id LIMIT 50`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		managers = append(managers, id)
	}
	rows.Close()
	if len(managers) == 0 {
		b.Fatal("no managers in the fixture")
	}
	kinds := []struct{ report, measure, cell, condition string }{
		{"deals_by_stage", "count", "", "above"},
		{"sales_funnel", "conversion_from_prev", `{"stage":"proposal"}`, "below"},
		{"manager_activity", "calls", "", "below"},
		{"plan_fact", "forecast", "", "forecast_below"},
	}
	moscow, _ := time.LoadLocation("Europe/Moscow")
	day := benchNow.In(moscow)
	at := time.Date(day.Year(), day.Month(), day.Day()+1, 9, 0, 0, 0, moscow)
	if _, err := f.pg.Pool.Exec(ctx, `TRUNCATE alerts CASCADE`); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		k := kinds[i%len(kinds)]
		var cell any
		if k.cell != "" {
			cell = k.cell
		}
		const q = `INSERT INTO alerts (name, report_id, measure, cell, condition, value, cron, recipients, owner_id, created_at, updated_at, delivery)
VALUES ($1, $2, $3, $4, $5, $6, '0 9 * * *', $7, $8, $9, $9, 'folder')`
		value := float64(10 + i%90) // thresholds spread, so some fire and some do not
		if _, err := f.pg.Pool.Exec(ctx, q, fmt.Sprintf("Оповещение %d", i+1), k.report, k.measure, cell, k.condition, value,
			[]int64{director, managers[i%len(managers)]}, director, at.Add(-24*time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	clock := at
	svc := &schedule.Service{PG: f.pg.Pool, Engine: &engine.Engine{CH: f.ch.DB}, Dir: b.TempDir(), Worker: "bench",
		Now: func() time.Time { return clock.Add(30 * time.Second) }}
	b.ResetTimer()
	for r, name := range []string{"first", "second"} {
		clock = at.AddDate(0, 0, r)
		start := time.Now()
		if err := svc.TickAlerts(ctx); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		var checks, fired, runs int
		if err := f.pg.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE c.event <> 'none'), count(DISTINCT r.id)
FROM alert_checks c JOIN alert_runs r ON r.id = c.run_id WHERE r.scheduled_for = $1 AND r.status = 'succeeded'`, clock).Scan(&checks, &fired, &runs); err != nil {
			b.Fatal(err)
		}
		if runs != n || checks != 2*n {
			b.Fatalf("%s round: %d checks of %d alerts succeeded, want %d of %d", name, checks, runs, 2*n, n)
		}
		st := svc.LastRound()
		chMS := float64(st.SQL.Milliseconds())
		b.ReportMetric(took.Seconds(), name+"_round_s")
		b.ReportMetric(float64(checks)/took.Seconds(), name+"_checks/s")
		b.ReportMetric(100*chMS/float64(took.Milliseconds()), name+"_clickhouse_%")
		b.ReportMetric(float64(st.Reports), name+"_report_runs")
		b.Logf("%s round: %d alerts, %d checks (%d told) in %.1f s — %.0f checks a second; %d report runs, ClickHouse %.0f s summed (%.0f%% of the round)",
			name, runs, checks, fired, took.Seconds(), float64(checks)/took.Seconds(), st.Reports, chMS/1000, 100*chMS/float64(took.Milliseconds()))
	}
}
