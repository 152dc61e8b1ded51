package ingest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// syncTimeout bounds each wait for ClickHouse to catch up. It is long
// because creating a slot waits for every transaction open in the whole
// cluster (other packages' tests share it); a passing wait takes
// well under a second.
const syncTimeout = 2 * time.Minute

// env is one test's PostgreSQL database, ClickHouse database and slot.
type env struct {
	t    testing.TB
	pg   *testenv.PG
	ch   *testenv.CH
	slot string
}

// newEnv creates fresh databases and a slot name of their own; the slot
// is dropped when the test ends (slots are per cluster and retain WAL).
func newEnv(t testing.TB) *env {
	t.Helper()
	pg := testenv.NewPG(t)
	ch := testenv.NewCH(t)
	e := &env{t: t, pg: pg, ch: ch, slot: pg.Name}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for i := 0; i < 50; i++ { // the walsender may take a moment to exit
			if err := DropSlot(ctx, pg.URL, e.slot); err == nil {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Errorf("slot %s not dropped", e.slot)
	})
	return e
}

func (e *env) config() Config {
	level := slog.LevelWarn
	if os.Getenv("VORONKA_INGEST_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return Config{PGURL: e.pg.URL, Slot: e.slot, Publication: "voronka", BatchWait: 50 * time.Millisecond,
		RetryMin: 50 * time.Millisecond, RetryMax: 500 * time.Millisecond, WALInterval: 200 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logWriter(level), &slog.HandlerOptions{Level: level}))}
}

func logWriter(level slog.Level) io.Writer {
	if level == slog.LevelDebug {
		return os.Stderr
	}
	return io.Discard
}

// start runs a Streamer until the returned stop is called (or the test ends).
func (e *env) start(cfg Config) (*Streamer, func()) {
	e.t.Helper()
	s, err := New(cfg, e.ch.DB)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	var stopped bool
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	e.t.Cleanup(stop)
	return s, stop
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.pg.Pool.Exec(context.Background(), sql, args...); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}

// waitSynced polls until ClickHouse's current rows of every table equal
// PostgreSQL's, or fails after timeout showing the difference.
func (e *env) waitSynced(timeout time.Duration, tables ...string) {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		diff := ""
		for _, tbl := range tables {
			if d := e.diff(tbl); d != "" {
				diff += d
			}
		}
		if diff == "" {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("ClickHouse differs from PostgreSQL after %s:\n%s", timeout, diff)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// diff compares a table's rows, every published column rendered as text
// the same way on both sides, computed by SQL on each server.
func (e *env) diff(table string) string {
	pgExprs, chExprs := e.renderers(table)
	pgRows := e.pgStrings(fmt.Sprintf("SELECT concat_ws('|', %s) FROM %s", strings.Join(pgExprs, ", "), table))
	chRows, err := e.chQuery(fmt.Sprintf("SELECT concat(%s) FROM %s.%s FINAL WHERE _deleted = 0",
		strings.Join(chExprs, ", '|', "), e.ch.Database, table))
	if err != nil {
		return fmt.Sprintf("%s: %v\n", table, err)
	}
	if strings.Join(pgRows, "\n") == strings.Join(chRows, "\n") {
		return ""
	}
	return fmt.Sprintf("%s: postgres %d rows, clickhouse %d rows\n  pg: %s\n  ch: %s\n", table,
		len(pgRows), len(chRows), head(pgRows), head(chRows))
}

func head(rows []string) string {
	if len(rows) > 5 {
		rows = append(rows[:5:5], "…")
	}
	return strings.Join(rows, "\n      ")
}

// renderers builds, for each published column, a PostgreSQL and a
// ClickHouse expression giving the same text for the same value.
func (e *env) renderers(table string) (pg, ch []string) {
	const q = `SELECT column_name, data_type FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`
	rows, err := e.pg.Pool.Query(context.Background(), q, table)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	m, _ := olap.MirrorOf(table)
	for rows.Next() {
		var name, typ string
		rows.Scan(&name, &typ)
		if m.IsExcluded(name) {
			continue
		}
		expr, chExpr := name+"::text", "toString("+name+")"
		switch typ {
		case "numeric": // ClickHouse 20+ prints decimals without trailing zeros, 18.16 with them
			expr = "trim_scale(" + name + ")::text"
			chExpr = "if(position(" + chExpr + ", '.') > 0, replaceRegexpOne(replaceRegexpOne(" + chExpr + ", '0+$', ''), '\\\\.$', ''), " + chExpr + ")"
		case "timestamp with time zone":
			expr = fmt.Sprintf("to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')", name)
		case "boolean":
			expr = fmt.Sprintf("(%s::int)::text", name)
		}
		pg = append(pg, fmt.Sprintf("coalesce(%s, '∅')", expr))
		ch = append(ch, fmt.Sprintf("ifNull(%s, '∅')", chExpr))
	}
	return pg, ch
}

func (e *env) pgStrings(q string) []string {
	rows, err := e.pg.Pool.Query(context.Background(), q)
	if err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	sort.Strings(out)
	return out
}

func (e *env) chStrings(q string) []string {
	out, err := e.chQuery(q)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) chQuery(q string) ([]string, error) {
	out, err := testenv.CHTexts(context.Background(), e.ch.DB, q)
	sort.Strings(out)
	return out, err
}

// mirrored lists every mirrored table.
func mirrored() []string {
	var out []string
	for _, m := range olap.Mirrors() {
		out = append(out, m.Table)
	}
	return out
}
