package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// BenchmarkExport1M exports VORONKA_BENCH_EXPORT_ROWS deals (default
// 1,000,000) as 1,000,000 rows × 12 columns, each mode in a child
// process of its own (the test binary again, see TestMain) so its wall
// time and peak RSS (getrusage of the child) are its alone; the modes
// run side by side in one run. See exportChild for the modes.
//
//	go test ./bench/ -run XXX -bench Export1M -benchtime 1x -timeout 30m
func BenchmarkExport1M(b *testing.B) {
	n := envInt("VORONKA_BENCH_EXPORT_ROWS", 1_000_000)
	ch := exportFixture(b, n)
	dir := b.TempDir()
	modes := strings.Fields(os.Getenv("VORONKA_BENCH_EXPORT_MODES"))
	if len(modes) == 0 {
		modes = []string{"gen", "bare", "query", "voronka"}
	}
	for range b.N {
		for _, mode := range modes {
			out := filepath.Join(dir, mode+".xlsx")
			secs, rssMB, rows := runExportChild(b, mode, ch, out, nil)
			if mode != "gen" && rows != n {
				b.Fatalf("%s wrote %d rows, want %d", mode, rows, n)
			}
			size := int64(0)
			if st, err := os.Stat(out); err == nil {
				size = st.Size()
			}
			b.ReportMetric(secs, "s/"+mode)
			b.ReportMetric(rssMB, "MB-rss/"+mode)
			b.Logf("%-8s %6.1f s  peak RSS %5.0f MB  file %4.0f MB  %d rows", mode, secs, rssMB, float64(size)/1e6, rows)
		}
	}
}

// runExportChild runs one export child and measures it.
func runExportChild(b *testing.B, mode string, ch *testenv.CH, out string, env []string) (secs, rssMB float64, rows int) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "VORONKA_EXPORT_CHILD="+mode, "VORONKA_EXPORT_OUT="+out,
		"VORONKA_EXPORT_CH="+ch.Addr+" "+ch.Database), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v\n%s", mode, err, stderr.String())
	}
	secs = time.Since(start).Seconds()
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Sscanf(strings.TrimSpace(stdout.String()), "rows=%d", &rows)
	return secs, float64(ru.Maxrss) / 1024, rows
}

// exportFixture is a ClickHouse database holding n deals over the
// seeded sales pipeline and 20 managers: the small tables copied from a
// fresh PostgreSQL, the deals generated in ClickHouse itself (not timed).
func exportFixture(b *testing.B, n int) *testenv.CH {
	ctx := context.Background()
	pg, ch := testenv.NewPG(b), testenv.NewCH(b)
	if _, err := pg.Pool.Exec(ctx, `INSERT INTO users (email, name, role, password_hash)
SELECT 'm' || i || '@bench.local', 'Менеджер ' || i, 'manager', '-' FROM generate_series(1, 20) i`); err != nil {
		b.Fatal(err)
	}
	testenv.Mirror(b, pg, ch, testenv.Copy{})
	var stages, users string
	if err := pg.Pool.QueryRow(ctx, `SELECT (SELECT string_agg(s.id::text, ',' ORDER BY s.position) FROM stages s JOIN pipelines p
ON p.id = s.pipeline_id WHERE p.code = 'sales'), (SELECT string_agg(id::text, ',') FROM users)`).Scan(&stages, &users); err != nil {
		b.Fatal(err)
	}
	var pipeline int64
	pg.Pool.QueryRow(ctx, `SELECT id FROM pipelines WHERE code = 'sales'`).Scan(&pipeline)
	table := ch.DB.Table("deals")
	start := time.Now()
	q := fmt.Sprintf(`INSERT INTO %s (id, title, pipeline_id, stage_id, amount, currency, responsible_id, company_id, contact_id,
    source, lead_id, lost_reason, created_by, created_at, updated_at, closed_at, _version, _deleted)
SELECT number + 1, concat('Сделка ', toString(number + 1)), %d, arrayElement([%s], number %% 11 + 1),
    toDecimal64(1000 + number %% 100000, 2), 'RUB', arrayElement([%s], number %% 20 + 1), NULL, NULL,
    'web', NULL, NULL, NULL, toDateTime('2025-01-01 00:00:00', 'UTC') + number * 30,
    toDateTime('2025-01-01 00:00:00', 'UTC') + number * 30, NULL, 1, 0
FROM system.numbers LIMIT %d`, table, pipeline, stages, users, n)
	if err := ch.DB.Exec(ctx, olap.SQL(q)); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d deals generated in ClickHouse %s in %s", n, ch.Database, time.Since(start).Round(time.Millisecond))
	return ch
}
