// The director page computed again after deals changed, with and without
// the statement memo (issue 15): under steady deal writes every answer
// that reads deals is computed again each time, and the memo spares the
// statements over tables that did not change (the activities scans of
// the leaderboard and the plan-fact, the users' names). Figures and the
// command are in BENCHMARKS.md ("Fresh answers").

package bench

import (
	"context"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/engine"
)

// BenchmarkPageAfterADealChange loads /dashboards/director, one user,
// once per round after ingest's watermarks say deals changed (the
// tables derived from deals too, as ingest records a batch), on two
// servers over the same copy side by side — the cache with its statement
// memo and the cache without it — alternating which goes first:
//
//	go test ./bench -run XXX -bench PageAfterADealChange -benchtime 1x -timeout 60m -v
//
// VORONKA_BENCH_PAGES rounds (default 7). Reports each server's p50 page
// time and ClickHouse time per page, and their ratios.
func BenchmarkPageAfterADealChange(b *testing.B) {
	f := newReportsFixture(b)
	ctx := context.Background()
	rounds := envInt("VORONKA_BENCH_PAGES", 7)
	changed := []string{"deals"}
	for _, d := range olap.DerivedFrom("deals") {
		changed = append(changed, d.Table)
	}
	version := uint64(time.Now().UnixNano())
	advance := func() {
		version++
		if err := f.ch.DB.WriteWatermarks(ctx, changed, version, time.Now()); err != nil {
			b.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // the engines reread the watermarks
	}
	advance()
	type side struct {
		name  string
		base  string
		pages []time.Duration
		chMS  []int64
	}
	sides := []*side{
		{name: "memo", base: f.dashboardServer(b, &engine.Cache{TTL: time.Hour, MaxStaleness: time.Millisecond})},
		{name: "no_memo", base: f.dashboardServer(b, &engine.Cache{TTL: time.Hour, MaxStaleness: time.Millisecond, NoStatements: true})},
	}
	client := &http.Client{Timeout: 10 * time.Minute}
	page := "/dashboards/director"
	for _, s := range sides { // the first look: every statement run on both; then quiet
		for range 2 {
			if r := f.getPage(client, s.base+page); r.err != nil {
				b.Fatal(r.err)
			}
		}
	}
	b.ResetTimer()
	for i := range rounds {
		advance()
		order := sides
		if i%2 == 1 {
			order = []*side{sides[1], sides[0]}
		}
		for _, s := range order {
			r := f.getPage(client, s.base+page)
			if r.err != nil {
				b.Fatal(r.err)
			}
			st := &pageStats{}
			st.record(r)
			s.pages, s.chMS = append(s.pages, r.took), append(s.chMS, st.chMS)
			// Asked again over the data unchanged: the cache sees it quiet, so
			// the next change is computed while the caller waits (under
			// steady changes it would serve the answer it replaces instead,
			// and this would time the cache, not the computation).
			if r := f.getPage(client, s.base+page); r.err != nil {
				b.Fatal(r.err)
			}
		}
	}
	b.StopTimer()
	p50 := map[string]float64{}
	ch50 := map[string]float64{}
	for _, s := range sides {
		sort.Slice(s.pages, func(i, j int) bool { return s.pages[i] < s.pages[j] })
		sort.Slice(s.chMS, func(i, j int) bool { return s.chMS[i] < s.chMS[j] })
		p50[s.name], ch50[s.name] = ms(percentile(s.pages, 0.5)), float64(s.chMS[len(s.chMS)/2])
		b.ReportMetric(p50[s.name], s.name+"_p50_ms")
		b.ReportMetric(ch50[s.name], s.name+"_clickhouse_ms")
		b.Logf("%-8s pages %d  p50 %8.1f ms  ClickHouse per page p50 %6.0f ms", s.name, len(s.pages), p50[s.name], ch50[s.name])
	}
	b.ReportMetric(p50["no_memo"]/p50["memo"], "page_ratio")
	b.ReportMetric(ch50["no_memo"]/max(ch50["memo"], 1), "clickhouse_ratio")
	b.Logf("without the memo ÷ with it: page %.2f×, ClickHouse %.2f×", p50["no_memo"]/p50["memo"], ch50["no_memo"]/max(ch50["memo"], 1))
}
