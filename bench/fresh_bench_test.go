// Answers as fresh as the data (issue 15): how long after a deal moves
// through the API the same funnel shows the move, with the change stream
// and the answer cache as `voronka serve` runs them. Figures and commands
// are in BENCHMARKS.md ("Fresh answers").

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/voronka/voronka/reports/engine"
)

// BenchmarkWriteToAnswer moves VORONKA_BENCH_MOVES deals (default 200)
// of the reports fixture (VORONKA_BENCH_DEALS, default 1,000,000) from
// their first stage to the next through POST /deals/{id}/move at
// VORONKA_BENCH_MOVE_RATE per second (default 10), signed in as the
// director, while two clients ask the reached funnel of the fixture's
// year (POST /funnels/run) again and again: the director who moves (whose
// answers include their own writes) and the analyst (who sees all rows
// too and shares the director's cached answers, but wrote nothing). A
// move has shown when the funnel's second step counts it. It reports p50
// and p99 of move → first answer that includes it, for each:
//
//	go test ./bench -run XXX -bench WriteToAnswer -benchtime 1x -timeout 60m
func BenchmarkWriteToAnswer(b *testing.B) {
	f, _ := newReportsFixture(b).live(b, "live")
	base := f.dashboardServer(b, &engine.Cache{}) // the defaults of voronka serve
	token := login(b, base, "director@voronka.local", "demo")
	moves := envInt("VORONKA_BENCH_MOVES", 200)
	ids := f.unmovedDeals(b, moves)
	funnel := []byte(fmt.Sprintf(`{"pipeline":"sales","period":{"from":"%s","to":"%s"}}`, f.year.From, f.year.To))
	second := func(token string) (int64, error) {
		resp, err := http.DefaultClient.Do(request("POST", base+"/api/v1/funnels/run", token, funnel))
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		var ans struct{ Steps []struct{ Count int64 } }
		if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil || len(ans.Steps) < 2 {
			return 0, fmt.Errorf("funnel answer: %v (%d steps)", err, len(ans.Steps))
		}
		return ans.Steps[1].Count, nil
	}
	start, err := second(token)
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	movedAt := make([]time.Time, 0, len(ids))
	stop := make(chan struct{})
	// watch asks as token until the answer counts every move, noting when
	// each move first showed.
	watch := func(token string, seenAt []time.Time, done chan<- error) {
		for {
			n, err := second(token)
			now := time.Now()
			if err != nil {
				done <- err
				return
			}
			mu.Lock()
			for k := 0; k < int(n-start) && k < len(seenAt); k++ {
				if seenAt[k].IsZero() && k < len(movedAt) {
					seenAt[k] = now
				}
			}
			all := int(n-start) >= len(ids)
			mu.Unlock()
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if all {
				done <- nil
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	own, other := make([]time.Time, len(ids)), make([]time.Time, len(ids))
	watched := make(chan error, 2)
	go watch(token, own, watched)
	go watch(login(b, base, "analyst@voronka.local", "demo"), other, watched)
	b.ResetTimer()
	every := time.Second / time.Duration(envInt("VORONKA_BENCH_MOVE_RATE", 10))
	for i, id := range ids {
		next := time.Now().Add(every)
		mu.Lock()
		movedAt = append(movedAt, time.Now())
		mu.Unlock()
		resp, err := http.DefaultClient.Do(request("POST", fmt.Sprintf("%s/api/v1/deals/%d/move", base, id), token, []byte(`{"stage":"first_contact"}`)))
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("move %d (deal %d): %d %s", i, id, resp.StatusCode, body)
		}
		time.Sleep(time.Until(next))
	}
	timeout := time.After(2 * time.Minute)
	for range 2 {
		select {
		case err := <-watched:
			if err != nil {
				b.Fatal(err)
			}
		case <-timeout:
			close(stop)
			b.Fatal("the funnel did not show every move within two minutes")
		}
	}
	b.StopTimer()
	latencies := func(seenAt []time.Time) []time.Duration {
		var lat []time.Duration
		for k := range ids {
			lat = append(lat, seenAt[k].Sub(movedAt[k]))
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		return lat
	}
	mine, theirs := latencies(own), latencies(other)
	b.ReportMetric(ms(percentile(mine, 0.50)), "p50_ms")
	b.ReportMetric(ms(percentile(mine, 0.99)), "p99_ms")
	b.ReportMetric(ms(percentile(theirs, 0.50)), "other_p50_ms")
	b.ReportMetric(ms(percentile(theirs, 0.99)), "other_p99_ms")
	b.Logf("%d moves at %v apart: move → the mover's answer p50 %.0f ms, p99 %.0f ms, max %.0f ms; someone else's p50 %.0f ms, p99 %.0f ms, max %.0f ms",
		len(ids), every, ms(percentile(mine, 0.50)), ms(percentile(mine, 0.99)), ms(mine[len(mine)-1]),
		ms(percentile(theirs, 0.50)), ms(percentile(theirs, 0.99)), ms(theirs[len(theirs)-1]))
}

// unmovedDeals are n deals of the fixture's year in the sales pipeline's
// first stage that never left it: moving one to the next stage adds one
// to the funnel's second step.
func (f *reportsFixture) unmovedDeals(b *testing.B, n int) []int64 {
	const q = `SELECT d.id
FROM deals d
JOIN pipelines p ON p.id = d.pipeline_id AND p.code = 'sales'
JOIN stages s ON s.id = d.stage_id AND s.code = 'new'
WHERE d.created_at >= $1 AND d.created_at < $2
  AND NOT EXISTS (SELECT 1 FROM stage_changes c WHERE c.deal_id = d.id AND c.to_stage_id <> d.stage_id)
ORDER BY d.id
LIMIT $3`
	rows, err := f.pg.Pool.Query(context.Background(), q, f.from, f.to, n)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) < n {
		b.Fatalf("only %d unmoved deals in the fixture's year, want %d", len(ids), n)
	}
	return ids
}
