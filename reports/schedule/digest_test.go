package schedule_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/schedule"
)

// digestSQL adds to the reportstest fixture the rules of stage new (7
// days) and proposal (30 days), and nina, a manager without deals. At
// 09:00 Moscow on Monday 2025-03-10, by hand: ivan's I-1 (new since
// 02-03) is stale, I-2 (proposal since 02-14, 23 days) is not, both
// have no next task; petr's P-3 (new since 03-02 11:00, 7 days 22 h) is
// stale, P-1 (decision, no rule) not, both without a next task; nina
// has nothing and gets no message.
const digestSQL = `
UPDATE stages SET stale_days = 7 WHERE code = 'new' AND pipeline_id = (SELECT id FROM pipelines WHERE code = 'sales');
UPDATE stages SET stale_days = 30 WHERE code = 'proposal' AND pipeline_id = (SELECT id FROM pipelines WHERE code = 'sales');
INSERT INTO users (email, name, role, password_hash) VALUES ('nina@test.local', 'Носова Нина', 'manager', '-');`

// digestExpected lists, in plain SQL from docs/reports.md, the titles
// of user $2's open deals at $1 that are stale ($3) or have no task to
// do (not $3).
const digestExpected = `
SELECT d.title FROM deals d JOIN stages s ON s.id = d.stage_id
WHERE s.kind IN ('open', 'paused') AND d.responsible_id = $2 AND CASE WHEN $3 THEN
      s.stale_days IS NOT NULL AND $1::timestamptz - s.stale_days * interval '24 hours' >= (
      SELECT max(t) FROM (SELECT changed_at AS t FROM stage_changes WHERE deal_id = d.id
                          UNION ALL SELECT coalesce(done_at, created_at) FROM activities WHERE deal_id = d.id) x)
  ELSE NOT EXISTS (SELECT 1 FROM activities a WHERE a.deal_id = d.id AND a.type = 'task' AND a.done_at IS NULL) END
ORDER BY 1`

func newDigestEnv(t *testing.T) *env {
	pg, ch := testenv.NewPG(t), testenv.NewCH(t)
	ctx := context.Background()
	if _, err := pg.Pool.Exec(ctx, reportstest.SQL+digestSQL); err != nil {
		t.Fatal(err)
	}
	testenv.Mirror(t, pg, ch, testenv.Copy{})
	fx := &reportstest.Fixture{PG: pg, CH: ch, Users: map[string]domain.Principal{},
		Engine: &engine.Engine{CH: ch.DB, Now: func() time.Time { return reportstest.Now }},
		Saved:  &saved.Store{PG: pg.Pool, Now: func() time.Time { return reportstest.Now }}}
	rows, _ := pg.Pool.Query(ctx, `SELECT id, name, email, role FROM users WHERE email LIKE '%@test.local'`)
	us, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Principal, error) {
		var p domain.Principal
		return p, r.Scan(&p.UserID, &p.Name, &p.Email, &p.Role)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range us {
		fx.Users[p.Email[:4]] = p
	}
	return &env{fx: fx, clock: &clock{t: msk(2025, 3, 9, 12, 0)}}
}

// TestStaleDigestOncePerDay: the daily digest (the standard stale_deals
// report, each recipient's own, on working days at 09:00 Moscow), two
// scheduler processes ticking at once: one run, one message to each
// manager with stale deals or deals without a next task, listing
// exactly those PostgreSQL lists, with links; none to a manager with
// neither.
func TestStaleDigestOncePerDay(t *testing.T) {
	e := newDigestEnv(t)
	srv := reportstest.NewSMTP(t, 0)
	a, b := e.service(t, "a", mailer(srv), ""), e.service(t, "b", mailer(srv), "")
	a.PublicURL, b.PublicURL = "https://crm.example.ru/", "https://crm.example.ru/"
	fx := e.fx
	ids := []int64{fx.Users["ivan"].UserID, fx.Users["petr"].UserID, fx.Users["nina"].UserID}
	sch, err := a.Create(context.Background(), fx.Users["olga"], schedule.Input{Name: ptr("Застоявшиеся сделки: сводка"),
		ReportID: ptr("stale_deals"), Cron: ptr("0 9 * * *"), WorkingDays: ptr(true), Recipients: &ids})
	if err != nil {
		t.Fatal(err)
	}
	at := msk(2025, 3, 10, 9, 0)
	e.clock.Set(at.Add(20 * time.Second))
	var wg sync.WaitGroup
	for _, svc := range []*schedule.Service{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); svc.Tick(context.Background()) }()
	}
	wg.Wait()
	runs, err := a.Runs(context.Background(), fx.Users["olga"], sch.ID)
	if err != nil || len(runs) != 1 || runs[0].Status != "succeeded" || len(runs[0].Deliveries) != 2 {
		t.Fatalf("runs %+v (%v): want one succeeded run with two deliveries", runs, err)
	}
	mails := srv.Mails()
	if len(mails) != 2 {
		t.Fatalf("%d mails, want one each to ivan and petr", len(mails))
	}
	link := regexp.MustCompile(`«([^»]+)» — [^:]+: https://crm\.example\.ru/deals/(\d+)`)
	for _, m := range mails {
		p, err := reportstest.ParseMail(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		who := strings.SplitN(m.To[0], "@", 2)[0]
		if who == "nina" {
			t.Errorf("nina has nothing stale and got %q", p.Body)
			continue
		}
		parts := strings.SplitN(p.Body, "Сделки без следующей задачи", 2)
		if len(parts) != 2 || !strings.Contains(p.Body, fx.Users[who].Name) || !strings.Contains(p.Subject, "Застоявшиеся сделки") {
			t.Fatalf("mail to %s: %q", who, p.Body)
		}
		for i, stale := range []bool{true, false} {
			var got []string
			for _, l := range link.FindAllStringSubmatch(parts[i], -1) {
				got = append(got, l[1])
				if l[2] != e.dealID(t, l[1]) {
					t.Errorf("%s: link of %s is deal %s", who, l[1], l[2])
				}
			}
			want := e.digestTitles(t, at, fx.Users[who].UserID, stale)
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("%s's digest (stale %v) lists %v, PostgreSQL %v", who, stale, got, want)
			}
		}
	}
}

func (e *env) digestTitles(t *testing.T, at time.Time, user int64, stale bool) []string {
	t.Helper()
	rows, err := e.fx.PG.Pool.Query(context.Background(), digestExpected, at, user, stale)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) dealID(t *testing.T, title string) string {
	t.Helper()
	var id int64
	if err := e.fx.PG.Pool.QueryRow(context.Background(), `SELECT id FROM deals WHERE title = $1`, title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return itoa(id)
}
