package seed

import (
	"math/rand/v2"
	"testing"
	"time"
)

// testPipeline builds a pipeline from stage kinds (in position order) and
// transitions between their indexes, as loadPipeline does from the tables.
func testPipeline(kinds []string, edges [][2]int) *pipeline {
	p := &pipeline{Code: "test"}
	for i, k := range kinds {
		p.Stages = append(p.Stages, stage{ID: int64(100 + i), Position: i + 1, Kind: k, reasons: lostReasons("x")})
	}
	adj := make([][]int, len(kinds))
	for _, e := range edges {
		adj[e[0]] = append(adj[e[0]], e[1])
	}
	p.classify(adj)
	return p
}

// TestWalkFollowsTheGraph walks odd graphs: a dead end, a stage without a
// way to lose, a won stage leading on, loops through pause and reopening.
func TestWalkFollowsTheGraph(t *testing.T) {
	kinds := []string{"open", "open", "open", "open", "won", "won", "paused", "lost"}
	edges := [][2]int{{0, 1}, {0, 2}, {0, 7}, {0, 6}, {1, 0}, {1, 2}, {1, 7}, {2, 3}, {3, 4},
		{4, 5}, {5, 1}, {6, 0}, {6, 1}, {7, 0}}
	p := testPipeline(kinds, edges)
	allowed := map[[2]int]bool{}
	for _, e := range edges {
		allowed[e] = true
	}
	r := rand.New(rand.NewPCG(9, 9))
	start := testNow.Add(-300 * 24 * time.Hour)
	var buf []move
	ends := map[string]int{}
	for range 3000 {
		buf = walk(r, p, &salesProfile, start, testNow, buf)
		if buf[0].To != p.First || !buf[0].At.Equal(start) {
			t.Fatalf("walk starts with %+v", buf[0])
		}
		for i := 1; i < len(buf); i++ {
			if !allowed[[2]int{buf[i-1].To, buf[i].To}] || !buf[i].At.After(buf[i-1].At) || buf[i].At.After(testNow) {
				t.Fatalf("move %d of %+v", i, buf)
			}
			if (p.Stages[buf[i].To].Kind == "lost") != (buf[i].Reason != "") {
				t.Fatalf("reason of move %d of %+v", i, buf)
			}
		}
		ends[p.Stages[buf[len(buf)-1].To].Kind]++
	}
	for _, k := range []string{"open", "won", "paused", "lost"} {
		if ends[k] == 0 {
			t.Errorf("no walk ended %s: %v", k, ends)
		}
	}
}

func TestWalkStopsAtNow(t *testing.T) {
	p := testPipeline([]string{"open", "open", "won"}, [][2]int{{0, 1}, {1, 2}})
	r := rand.New(rand.NewPCG(1, 1))
	buf := walk(r, p, &salesProfile, testNow.Add(-time.Minute), testNow, nil)
	if len(buf) != 1 {
		t.Errorf("a deal created a minute ago moved: %+v", buf)
	}
}
