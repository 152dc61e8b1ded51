// The ClickHouse design choices behind the reports, measured: each
// variant of the hand-written queries against the one raced in the
// comparisons ("base"), side by side in one run.

package bench

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/olap"
)

// benchDesign measures the funnel's and the grouped report's choices.
func (f *reportsFixture) benchDesign(b *testing.B) {
	f.prepareDesignTables(b)
	b.Run("funnel", f.designFunnel)
	b.Run("grouped", f.designGrouped)
}

// designTables are copies the variants read, built untimed (their
// statements; {t} is the table, {db} the database): the mirror tables
// under other sorting keys, and deals as 20 unmerged parts (as inserts
// leave it until merges catch up).
var designTables = []struct {
	name  string
	stmts []string
}{
	{"x_stage_changes_by_id", []string{"CREATE TABLE {t} ENGINE = ReplacingMergeTree(_version) ORDER BY id AS SELECT * FROM {db}.stage_changes",
		"OPTIMIZE TABLE {t} FINAL"}},
	{"x_deals_by_created", []string{"CREATE TABLE {t} ENGINE = ReplacingMergeTree(_version) ORDER BY (created_at, id) AS SELECT * FROM {db}.deals",
		"OPTIMIZE TABLE {t} FINAL"}},
	{"x_deals_20_parts", append([]string{"CREATE TABLE {t} AS {db}.deals", "SYSTEM STOP MERGES {t}"}, partInserts(20)...)},
}

// partInserts copy deals in n inserts (n parts).
func partInserts(n int) []string {
	var out []string
	for k := range n {
		out = append(out, "INSERT INTO {t} SELECT * FROM {db}.deals WHERE id % "+strconv.Itoa(n)+" = "+strconv.Itoa(k))
	}
	return out
}

func (f *reportsFixture) prepareDesignTables(b *testing.B) {
	ctx := context.Background()
	for _, t := range designTables {
		start := time.Now()
		r := strings.NewReplacer("{t}", f.ch.Database+"."+t.name, "{db}", f.ch.Database)
		for _, q := range append([]string{"DROP TABLE IF EXISTS {t}"}, t.stmts...) {
			if err := f.ch.DB.Exec(ctx, olap.SQL(r.Replace(q))); err != nil {
				b.Fatalf("%s: %v", r.Replace(q), err)
			}
		}
		b.Logf("built %s in %s", t.name, time.Since(start).Round(time.Millisecond))
	}
}

// designFunnel: the funnel's variants. Those that must give the same
// answer as base are checked to; the approximate median's error is
// logged.
func (f *reportsFixture) designFunnel(b *testing.B) {
	ctx := context.Background()
	m := loadFunnelStages(b, f)
	variants := []struct {
		name string
		o    chFunnelOptions
		same bool
	}{
		{"base", chFunnelOptions{}, true},
		{"sc_grouped", chFunnelOptions{group: true}, true},
		{"sc_grouped_final", chFunnelOptions{group: true, final: true}, true},
		{"sc_grouped_no_dedup", chFunnelOptions{group: true, noDedup: true}, true},
		{"sc_grouped_sorted_by_id", chFunnelOptions{group: true, stageChanges: "x_stage_changes_by_id"}, true},
		{"sc_grouped_in_uses_pk_index", chFunnelOptions{group: true, inUsesIndex: true}, true},
		{"no_rub", chFunnelOptions{noRub: true}, false},
		{"median_two_states", chFunnelOptions{twoStates: true}, true},
		{"approx_median", chFunnelOptions{approxMedian: true}, false},
	}
	base, err := f.clickhouseFunnel(ctx, m, chFunnelOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var cs []contestant
	for _, v := range variants {
		got, err := f.clickhouseFunnel(ctx, m, v.o)
		if err != nil {
			b.Fatalf("%s: %v", v.name, err)
		}
		if diffs, _ := compareFigures(base, got); v.same && len(diffs) > 0 {
			b.Fatalf("%s differs from base: %v", v.name, diffs[:min(len(diffs), 5)])
		}
		if v.o.approxMedian {
			logMedianError(b, base, got)
		}
		o := v.o
		cs = append(cs, contestant{v.name, envInt("VORONKA_BENCH_RUNS", 7), func() error { _, err := f.clickhouseFunnel(ctx, m, o); return err }})
	}
	cs = append(cs, f.engineBefore(m)...)
	compete(b, cs...)
}

// logMedianError logs how far approximate medians are from exact ones.
func logMedianError(b *testing.B, exact, approx figures) {
	worst, worstAt, n := 0.0, "", 0
	for g, rows := range exact {
		for r, cols := range rows {
			e, err1 := strconv.ParseFloat(cols["median_hours"], 64)
			a, err2 := strconv.ParseFloat(approx.get(g, r, "median_hours", ""), 64)
			if err1 != nil || err2 != nil {
				continue
			}
			n++
			if d := math.Abs(a-e) / e; d > worst {
				worst, worstAt = d, "["+g+"] "+r+": "+cols["median_hours"]+" h exact, "+approx.get(g, r, "median_hours", "")+" h approximate"
			}
		}
	}
	b.Logf("quantile(0.5) vs exact median over %d medians: worst %.1f%% off (%s)", n, 100*worst, worstAt)
}

// designGrouped: the grouped report's variants, over the year and over
// the last 30 days (where a sorting key on created_at can skip most of
// the table).
func (f *reportsFixture) designGrouped(b *testing.B) {
	ctx := context.Background()
	s := loadAllStages(b, f)
	month := *f
	month.from = f.to.AddDate(0, 0, -30)
	variants := []struct {
		name string
		fx   *reportsFixture
		o    chDealsOptions
		same bool
	}{
		{"base", f, chDealsOptions{}, true},
		{"no_final", f, chDealsOptions{noFinal: true}, true},
		{"no_rub", f, chDealsOptions{noRub: true}, false},
		{"sorted_by_created", f, chDealsOptions{table: "x_deals_by_created"}, true},
		{"20_parts", f, chDealsOptions{table: "x_deals_20_parts"}, true},
		{"20_parts_no_final", f, chDealsOptions{table: "x_deals_20_parts", noFinal: true}, true},
		{"30d_base", &month, chDealsOptions{}, true},
		{"30d_sorted_by_created", &month, chDealsOptions{table: "x_deals_by_created"}, true},
	}
	var cs []contestant
	bases := map[*reportsFixture]figures{}
	for _, v := range variants {
		got, err := v.fx.clickhouseGrouped(ctx, s, v.o)
		if err != nil {
			b.Fatalf("%s: %v", v.name, err)
		}
		if _, ok := bases[v.fx]; !ok {
			bases[v.fx] = got
		}
		if diffs, _ := compareFigures(bases[v.fx], got); v.same && len(diffs) > 0 {
			b.Fatalf("%s differs from base: %v", v.name, diffs[:min(len(diffs), 5)])
		}
		fx, o := v.fx, v.o
		cs = append(cs, contestant{v.name, envInt("VORONKA_BENCH_RUNS", 7), func() error { _, err := fx.clickhouseGrouped(ctx, s, o); return err }})
	}
	compete(b, cs...)
}
