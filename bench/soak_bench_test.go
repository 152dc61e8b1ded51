// The soak (issue 14): many clients at once on the dashboards and the
// report API for a bounded time, on loopback; every answer must be a
// success and the server's goroutines and memory must come back to where
// they were. Figures and commands are in BENCHMARKS.md ("Soak").

package bench

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voronka/voronka/reports/engine"
)

// BenchmarkSoak has VORONKA_BENCH_CLIENTS clients (default 50) load, for
// VORONKA_BENCH_SECONDS (default 60), in turn: the director's, a
// manager's and the activity dashboard, the grouped and the pivot report
// and the funnel through the API — on the reports fixture
// (VORONKA_BENCH_DEALS, 20,000 for the recorded figures), served as
// `voronka serve` serves it, in this process. It fails on any answer
// that is not a success, and when the goroutines are not back at their
// count before the load within 30 s; it reports requests per second,
// p50/p95 and the heap before and after:
//
//	VORONKA_BENCH_DEALS=20000 go test ./bench -run XXX -bench Soak -benchtime 1x -timeout 30m
func BenchmarkSoak(b *testing.B) {
	f := newReportsFixture(b)
	base := f.dashboardServer(b, &engine.Cache{})
	director, manager := f.token, login(b, base, "manager1@voronka.local", "demo")
	funnel := fmt.Sprintf(`{"pipeline":"sales","period":{"from":"%s","to":"%s"}}`, f.year.From, f.year.To)
	calls := []struct {
		method, path, token, body string
	}{
		{"GET", "/dashboards/director", director, ""},
		{"GET", "/dashboards/manager", manager, ""},
		{"GET", "/dashboards/activity", director, ""},
		{"POST", "/api/v1/reports/run", director, groupedDefinition},
		{"POST", "/api/v1/reports/run", manager, pivotDefinition},
		{"POST", "/api/v1/funnels/run", director, funnel},
	}
	clients, dur := envInt("VORONKA_BENCH_CLIENTS", 50), time.Duration(envInt("VORONKA_BENCH_SECONDS", 60))*time.Second
	goroutines, heap := settled()
	var (
		mu       sync.Mutex
		lat      []time.Duration
		failures = map[string]int{}
		wg       sync.WaitGroup
	)
	b.ResetTimer()
	start := time.Now()
	for w := range clients {
		wg.Go(func() {
			for i := w; time.Since(start) < dur; i++ {
				c := calls[i%len(calls)]
				req, _ := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
				req.Header.Set("Authorization", "Bearer "+c.token)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := loadClient.Do(req)
				took := time.Since(t0)
				failure := ""
				if err != nil {
					failure = c.path + ": " + err.Error()
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						failure = fmt.Sprintf("%s %s: %d", c.method, c.path, resp.StatusCode)
					}
				}
				mu.Lock()
				lat = append(lat, took)
				if failure != "" {
					failures[failure]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	after, heapAfter := goroutines, heap
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) { // fasthttp keeps idle workers 10 s
		if after, heapAfter = settled(); after <= goroutines+5 || time.Now().After(deadline) {
			break
		}
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "req/s")
	b.ReportMetric(ms(percentile(lat, 0.50)), "p50_ms")
	b.ReportMetric(ms(percentile(lat, 0.95)), "p95_ms")
	b.Logf("%d clients for %v: %d requests (%.1f a second), p50 %.0f ms, p95 %.0f ms, max %.0f ms; failures %v; goroutines %d → %d, heap %.0f → %.0f MB",
		clients, dur, len(lat), float64(len(lat))/elapsed.Seconds(), ms(percentile(lat, 0.50)), ms(percentile(lat, 0.95)), ms(lat[len(lat)-1]),
		failures, goroutines, after, heap, heapAfter)
	if len(failures) > 0 {
		b.Errorf("answers that were not a success: %v", failures)
	}
	if after > goroutines+5 {
		var stacks strings.Builder
		pprof.Lookup("goroutine").WriteTo(&stacks, 1)
		b.Errorf("goroutines %d after the load, %d before:\n%s", after, goroutines, stacks.String())
	}
}

// settled is this process's goroutine count and heap in use (MB) after a
// collection.
func settled() (int, float64) {
	loadClient.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), float64(m.HeapInuse) / (1 << 20)
}
