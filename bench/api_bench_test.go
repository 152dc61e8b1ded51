package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/testenv"
)

// apiFixture is a real `voronka serve`-equivalent on loopback over a
// seeded database, shared by the API benchmarks of one run.
type apiFixture struct {
	base  string
	token string   // the director's
	pairs [][2]int // per worker: deal ids it may move (disjoint sets)
}

// benchDeals is the size of the seeded data set (VORONKA_BENCH_DEALS).
func benchDeals() int {
	if n, err := strconv.Atoi(os.Getenv("VORONKA_BENCH_DEALS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func newAPIFixture(b *testing.B) *apiFixture {
	ctx := context.Background()
	pg := testenv.NewPG(b)
	if _, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: benchDeals(), Seed: 7, Now: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}); err != nil {
		b.Fatalf("seed: %v", err)
	}
	store := crmcore.NewStore(pg.Pool)
	srv := dashboards.New(server.Deps{Store: store, Ready: store.Ping})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	go srv.ServeListener(sctx, ln)
	b.Cleanup(cancel)
	f := &apiFixture{base: "http://" + ln.Addr().String()}
	f.token = login(b, f.base, "director@voronka.local", "demo")
	f.pairs = movablePairs(b, pg, 32)
	return f
}

func login(b *testing.B, base, email, password string) string {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytesReader(body))
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("login %s: %v %v", email, err, resp)
	}
	defer resp.Body.Close()
	var lr struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&lr)
	return lr.Token
}

// movablePairs picks, for each worker, sales deals in "first_contact"; a
// worker moves its deals first_contact → needs → first_contact (both
// allowed by the graph), so workers never contend for one row.
func movablePairs(b *testing.B, pg *testenv.PG, workers int) [][2]int {
	const q = `
SELECT d.id
FROM deals d
JOIN stages s ON s.id = d.stage_id
JOIN pipelines p ON p.id = d.pipeline_id
WHERE p.code = 'sales' AND s.code = 'first_contact'
ORDER BY d.id
LIMIT $1`
	rows, err := pg.Pool.Query(context.Background(), q, workers)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out [][2]int
	for rows.Next() {
		var id int
		rows.Scan(&id)
		out = append(out, [2]int{id, 0})
	}
	if len(out) < workers {
		b.Fatalf("only %d deals in first_contact; seed more", len(out))
	}
	return out
}

// BenchmarkAPI measures the CRM API over loopback HTTP under 32
// concurrent clients on one seeded database (set up once; sub-benchmarks
// rerun with growing b.N but share it).
func BenchmarkAPI(b *testing.B) {
	f := newAPIFixture(b)
	b.Run("move", f.benchMove)
	b.Run("list", f.benchList)
}

// benchMove: POST /deals/{id}/move. Each request is a real transaction:
// lock, graph check, update, history row.
func (f *apiFixture) benchMove(b *testing.B) {
	stages := [2]string{"needs", "first_contact"}
	runLoad(b, 32, func(w, i int) *http.Request {
		body := []byte(`{"stage":"` + stages[f.pairs[w][1]%2] + `"}`)
		f.pairs[w][1]++
		return request("POST", fmt.Sprintf("%s/api/v1/deals/%d/move", f.base, f.pairs[w][0]), f.token, body)
	})
}

// benchList: GET /deals?pipeline=sales&stage=…&limit=50&offset=…,
// varying stage and page.
func (f *apiFixture) benchList(b *testing.B) {
	stages := []string{"new", "first_contact", "needs", "presentation", "proposal", "decision", "won", "refused"}
	runLoad(b, 32, func(w, i int) *http.Request {
		r := rand.New(rand.NewPCG(uint64(w), uint64(i)))
		url := fmt.Sprintf("%s/api/v1/deals?pipeline=sales&stage=%s&limit=50&offset=%d", f.base, stages[r.IntN(len(stages))], 50*r.IntN(20))
		return request("GET", url, f.token, nil)
	})
}
