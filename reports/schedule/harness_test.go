package schedule_test

import (
	"bytes"
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/schedule"
)

// moscow is the schedules' default time zone.
var moscow, _ = time.LoadLocation("Europe/Moscow")

// msk is a Moscow wall-clock instant.
func msk(y int, m time.Month, d, h, mi int) time.Time { return time.Date(y, m, d, h, mi, 0, 0, moscow) }

// clock is a settable clock shared by the services of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// env is the fixture, a clock and a saved report of olga's: deals by
// title with their amounts, this year (schedules override the period).
type env struct {
	fx       *reportstest.Fixture
	clock    *clock
	reportID string
}

func newEnv(t *testing.T) *env {
	fx := reportstest.New(t)
	def := reportstest.Def(t, `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"field":"amount","agg":"sum"}],"sort":[{"by":"title"}],"period":{"preset":"this_year"}}`)
	saved, err := fx.Saved.Create(context.Background(), fx.Users["olga"], saved.NewReport{Name: "Сделки по названию", Definition: *def})
	if err != nil {
		t.Fatal(err)
	}
	return &env{fx: fx, clock: &clock{t: msk(2025, 2, 20, 12, 0)}, reportID: itoa(saved.ID)}
}

// service is one scheduler process: its own connection pool, the
// shared clock, mail through m (nil: the folder dir).
func (e *env) service(t *testing.T, worker string, m *schedule.Mailer, dir string) *schedule.Service {
	pool, err := pgxpool.New(context.Background(), e.fx.PG.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	eng := e.fx.Engine.Clone()
	return &schedule.Service{PG: pool, Engine: eng, Mailer: m, Dir: dir, Worker: worker, Now: e.clock.Now, Backoff: time.Minute}
}

// mailer sends to the test server, trusting its certificate.
func mailer(s *reportstest.SMTPServer) *schedule.Mailer {
	return &schedule.Mailer{Addr: s.Addr, Host: "127.0.0.1", From: "reports@test.local", TLS: s.Client, Timeout: 10 * time.Second}
}

// titlesAndAmounts reads a workbook's data rows as "title amount".
func titlesAndAmounts(t *testing.T, file []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("attachment is not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Отчёт", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows[2:] {
		if len(r) == 2 && r[0] != "Итого" {
			out = append(out, r[0]+" "+r[1])
		}
	}
	return out
}

// pgDeals is the same list straight from PostgreSQL: user's deals
// (everyone's when all) created in February 2025, Moscow time.
func (e *env) pgDeals(t *testing.T, userID int64, all bool) []string {
	t.Helper()
	rows, err := e.fx.PG.Pool.Query(context.Background(), `SELECT title || ' ' || (amount::float8)::text FROM deals
WHERE (responsible_id = $1 OR $2) AND created_at >= '2025-02-01 00:00+03' AND created_at < '2025-03-01 00:00+03'
ORDER BY title`, userID, all)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// count is a plain SQL count.
func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.fx.PG.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
