package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// ratesFixtureSQL: two USD deals of the sales pipeline on either side of
// a rate change at midnight in Moscow, each with an invoice issued that
// day. USD is 90 from 2000-01-01 (the migration's), 92.5058 from
// 2024-03-02. By hand, half up to the kopeck:
//
//	before 100.00 USD  2024-03-01 23:30 MSK (20:30 UTC)  → 100 × 90         = 9000.00
//	after   10.55 USD  2024-03-02 00:30 MSK (21:30 UTC,  → 10.55 × 92.5058  =  975.93619 → 975.94
//	                   still March 1 in UTC)
//	invoice B-1 20.00 USD issued 2024-03-01 23:59 MSK    → 20 × 90          = 1800.00
//	invoice A-1 20.00 USD issued 2024-03-02 00:01 MSK    → 20 × 92.5058     = 1850.116 → 1850.12
const ratesFixtureSQL = `
INSERT INTO users (email, name, role, password_hash) VALUES ('anna@x.ru', 'Анна', 'manager', '-');
INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-03-02', 92.5058);
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT v.title, p.id, s.id, v.amount, 'USD', u.id, v.created::timestamptz, v.created::timestamptz
FROM (VALUES ('before', 100.00, '2024-03-01 23:30+03'), ('after', 10.55, '2024-03-02 00:30+03')) AS v (title, amount, created)
JOIN pipelines p ON p.code = 'sales'
JOIN stages s ON s.pipeline_id = p.id AND s.position = (SELECT min(position) FROM stages WHERE pipeline_id = p.id)
JOIN users u ON u.email = 'anna@x.ru'
ORDER BY v.title DESC;
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by)
    SELECT id, pipeline_id, NULL, stage_id, created_at, responsible_id FROM deals;
INSERT INTO invoices (deal_id, number, amount, currency, status, issued_at, due_at)
SELECT d.id, v.number, 20.00, 'USD', 'issued', v.issued::timestamptz, v.issued::timestamptz + interval '10 days'
FROM (VALUES ('before', 'B-1', '2024-03-01 23:59+03'), ('after', 'A-1', '2024-03-02 00:01+03')) AS v (title, number, issued)
JOIN deals d ON d.title = v.title;
`

var (
	ratesNow    = time.Date(2024, 4, 10, 12, 0, 0, 0, time.UTC)
	ratesMarch  = reports.Period{From: "2024-03-01", To: "2024-03-31"}
	ratesDirect = domain.Principal{UserID: 1, Role: domain.RoleDirector}
)

// ratesAnswers is what every report that converts roubles says of the
// fixture: the deals by title, the invoices by number (grouped, joined to
// the rates at query time), the funnel's first step and the stage
// percentages' total (from deal_facts).
func ratesAnswers(e *Engine) (string, error) {
	ctx := context.Background()
	run := func(def string) (string, error) {
		d, err := reports.ParseDefinition([]byte(def))
		if err != nil {
			return "", err
		}
		res, err := e.Run(ctx, ratesDirect, d)
		if err != nil {
			return "", fmt.Errorf("run %s: %w", def, err)
		}
		return strings.Join(kxCells(res.Rows), " "), nil
	}
	deals, err := run(`{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"field":"amount","agg":"sum"}],"sort":[{"by":"title"}]}`)
	if err != nil {
		return "", err
	}
	invoices, err := run(`{"dataset":"invoices","dimensions":[{"field":"number"}],"measures":[{"field":"amount","agg":"sum"}],"sort":[{"by":"number"}]}`)
	if err != nil {
		return "", err
	}
	march := ratesMarch
	f, err := e.Funnel(ctx, ratesDirect, reports.FunnelRequest{Pipeline: "sales", Period: &march})
	if err != nil {
		return "", err
	}
	stages, err := e.Run(ctx, ratesDirect, &reports.Definition{Kind: reports.KindStagePercentages, Params: []byte(`{"pipeline":"sales"}`)})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("deals %s; invoices %s; funnel %d %s; stages %s", deals, invoices, f.Steps[0].Count,
		f.Steps[0].Amount.StringFixed(2), kxCells([][]any{stages.Totals[4:5]})[0]), nil
}

// Deals on both sides of a rate's valid_from convert independently, each
// at the rate of its creation day in Moscow (not in UTC), and invoices at
// their issue day's.
func TestRatesConvertByMoscowDay(t *testing.T) {
	pg, ch := testenv.NewPG(t), testenv.NewCH(t)
	if _, err := pg.Pool.Exec(context.Background(), ratesFixtureSQL); err != nil {
		t.Fatal(err)
	}
	mirror(t, pg, ch, 1)
	e := &Engine{CH: ch.DB, Now: func() time.Time { return ratesNow }}
	want := "deals after|975.94 before|9000.00; invoices A-1|1850.12 B-1|1800.00; funnel 2 9975.94; stages 9975.94"
	got, err := ratesAnswers(e)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("answers:\n got %s\nwant %s", got, want)
	}
}
