// The director dashboard under load (issue 5): the page, which runs its
// seven report answers in parallel on the server, at 1 and at 20
// concurrent users, with the report cache off (every look computes) and
// on (VORONKA_REPORT_CACHE_TTL's default, 60 s), and the share of the
// report work spent in ClickHouse, read from the page's Server-Timing
// header. Figures and commands are in BENCHMARKS.md ("Dashboards").

package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

// BenchmarkDashboard loads /dashboards/director on the report
// benchmarks' fixture (VORONKA_BENCH_DEALS deals, default 1,000,000):
//
//	go test ./bench -run XXX -bench Dashboard -benchtime 1x -timeout 60m
//
// Each scenario reports p50/p95 page latency and the ClickHouse share of
// the report runs the pages computed (cached answers cost none).
func BenchmarkDashboard(b *testing.B) {
	f := newReportsFixture(b)
	loads := envInt("VORONKA_BENCH_PAGES", 7) // per user
	cold := f.dashboardServer(b, nil)
	warm := f.dashboardServer(b, &engine.Cache{TTL: time.Minute})
	page := "/dashboards/director"
	periods := []string{page + "?period=this_year", page + "?period=previous_quarter", page + "?period=last_90_days"}
	for _, sc := range []struct {
		name   string
		base   string
		users  int
		urls   []string
		loads  int
		warmed bool // each url loaded once, untimed, first
	}{
		{"no_cache/1_user", cold, 1, []string{page}, loads, false},
		{"no_cache/20_users", cold, 20, []string{page}, 2, false},
		{"cache_warm/1_user", warm, 1, []string{page}, loads, true},
		{"cache_warm/20_users", warm, 20, []string{page}, loads, true},
		{"cache_cold_3_periods/20_users", f.dashboardServer(b, &engine.Cache{TTL: time.Minute}), 20, periods, 3, false},
	} {
		b.Run(sc.name, func(b *testing.B) {
			if sc.warmed {
				f.loadPage(b, sc.base, sc.urls, 1, len(sc.urls))
			}
			st := f.loadPage(b, sc.base, sc.urls, sc.users, sc.loads)
			b.ReportMetric(ms(st.p50), "p50_ms")
			b.ReportMetric(ms(st.p95), "p95_ms")
			b.ReportMetric(st.chShare*100, "clickhouse_%")
			b.Logf("%-30s pages %3d (%d KB each)  p50 %8.1f ms  p95 %8.1f ms  ClickHouse %4.1f%% of %d ms report work  cached answers %d of %d",
				sc.name, st.pages, st.bytes/int64(max(st.pages, 1))/1024, ms(st.p50), ms(st.p95), st.chShare*100, st.reportMS, st.cached, st.answers)
		})
	}
}

// dashboardServer serves the fixture with its own report engine (and
// cache; nil: none) on loopback, as `voronka serve` wires them (without
// the stream), with the engine's clock at the seed's now.
func (f *reportsFixture) dashboardServer(b *testing.B, cache *engine.Cache) string {
	store := crmcore.NewStore(f.pg.Pool)
	now := func() time.Time { return reportsBenchNow }
	eng := &engine.Engine{CH: f.ch.DB, Now: now, Cache: cache}
	srv := dashboards.New(server.Deps{Store: store, Reports: eng, Saved: &saved.Store{PG: f.pg.Pool, Now: now}, Ready: store.Ping})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go srv.ServeListener(ctx, ln)
	b.Cleanup(cancel)
	return "http://" + ln.Addr().String()
}

// The figures a dashboard page's Server-Timing header carries.
var (
	timingRe = regexp.MustCompile(`reports;dur=(\d+).*clickhouse;dur=(\d+)`)
	cachedRe = regexp.MustCompile(`cache;desc="(\d+) of (\d+)`)
	ageRe    = regexp.MustCompile(`\bage;dur=(\d+)`)
)

// pageStats sums a scenario.
type pageStats struct {
	pages           int
	p50, p95        time.Duration
	reportMS, chMS  int64
	chShare         float64
	cached, answers int
	bytes           int64
	latencies       []time.Duration
	ages            []time.Duration // how far each page's oldest answer was behind
	mu              sync.Mutex
	firstErr        error
}

// loadPage has users concurrent users each load the urls in turn, loads
// times in all, and collects latencies and Server-Timing figures.
func (f *reportsFixture) loadPage(b *testing.B, base string, urls []string, users, loads int) *pageStats {
	st := &pageStats{}
	client := &http.Client{Timeout: 10 * time.Minute}
	var wg sync.WaitGroup
	b.ResetTimer()
	for u := range users {
		wg.Go(func() {
			for i := range loads {
				st.record(f.getPage(client, base+urls[(u+i)%len(urls)]))
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if st.firstErr != nil {
		b.Fatal(st.firstErr)
	}
	sort.Slice(st.latencies, func(i, j int) bool { return st.latencies[i] < st.latencies[j] })
	sort.Slice(st.ages, func(i, j int) bool { return st.ages[i] < st.ages[j] })
	st.pages, st.p50, st.p95 = len(st.latencies), percentile(st.latencies, 0.5), percentile(st.latencies, 0.95)
	if st.reportMS > 0 {
		st.chShare = float64(st.chMS) / float64(st.reportMS)
	}
	return st
}

// pageResult is one page load.
type pageResult struct {
	took   time.Duration
	timing string
	size   int
	err    error
}

func (f *reportsFixture) getPage(client *http.Client, url string) pageResult {
	req, _ := http.NewRequest("GET", url, nil)
	req.AddCookie(&http.Cookie{Name: "voronka_session", Value: f.token})
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return pageResult{err: err}
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	switch {
	case err != nil:
		return pageResult{err: err}
	case resp.StatusCode != 200:
		return pageResult{err: fmt.Errorf("%s: status %d", url, resp.StatusCode)}
	case bytes.Contains(body, []byte(`class="error"`)):
		return pageResult{err: fmt.Errorf("%s: a panel shows an error", url)}
	}
	return pageResult{took: took, timing: resp.Header.Get("Server-Timing"), size: len(body)}
}

func (st *pageStats) record(r pageResult) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if r.err != nil {
		if st.firstErr == nil {
			st.firstErr = r.err
		}
		return
	}
	st.latencies = append(st.latencies, r.took)
	st.bytes += int64(r.size)
	if m := timingRe.FindStringSubmatch(r.timing); m != nil {
		rep, _ := strconv.ParseInt(m[1], 10, 64)
		ch, _ := strconv.ParseInt(m[2], 10, 64)
		st.reportMS, st.chMS = st.reportMS+rep, st.chMS+ch
	}
	if m := cachedRe.FindStringSubmatch(r.timing); m != nil {
		c, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		st.cached, st.answers = st.cached+c, st.answers+n
	}
	if m := ageRe.FindStringSubmatch(r.timing); m != nil {
		age, _ := strconv.ParseInt(m[1], 10, 64)
		st.ages = append(st.ages, time.Duration(age)*time.Millisecond)
	}
}
