package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
)

// funnelAnswer is the part of a current-mode funnel the test reads.
type funnelAnswer struct {
	Steps []struct {
		Stage string
		Count int64
	}
	Meta struct {
		Cached   bool      `json:"cached"`
		DataAsOf time.Time `json:"data_as_of"`
	}
}

func (f funnelAnswer) count(stage string) int64 {
	for _, s := range f.Steps {
		if s.Stage == stage {
			return s.Count
		}
	}
	return -1
}

// TestServeAnswersAreFresh: with the default settings of `voronka serve`
// (cache on, change stream in-process), a question asked again over
// unchanged data is a cache hit; a deal moved through the API shows in
// the next answers as soon as the change stream has it — not a TTL later
// — and that answer's data_as_of is after the move; Cache-Control:
// no-cache computes anew.
func TestServeAnswersAreFresh(t *testing.T) {
	base, token, deal := serveWithOneDeal(t)
	ask := func(header string) funnelAnswer { t.Helper(); return askCurrentFunnel(t, base, token, header) }
	// The one deal, in the first stage, once the stream has copied it.
	waitFor(t, "the new deal in the funnel", func() bool { return ask("").count("new") == 1 })
	if f := ask(""); !f.Meta.Cached || f.count("new") != 1 {
		t.Errorf("asked again over unchanged data: cached %v, new %d; want a cache hit with 1", f.Meta.Cached, f.count("new"))
	}
	moved := time.Now()
	if st, body := call(t, "POST", base+"/api/v1/deals/"+itoa(deal)+"/move", token, `{"stage":"first_contact"}`); st != 200 {
		t.Fatalf("move: %d %s", st, body)
	}
	var seen funnelAnswer
	for deadline := moved.Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if seen = ask(""); seen.count("first_contact") == 1 && seen.count("new") == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the move the funnel still shows new %d, first_contact %d (cached %v, data as of %s)",
				seen.count("new"), seen.count("first_contact"), seen.Meta.Cached, seen.Meta.DataAsOf)
		}
	}
	took := time.Since(moved)
	_, status := call(t, "GET", base+"/api/v1/ingest/status", token, "")
	t.Logf("the move showed after %s (ingest: %s)", took.Round(time.Millisecond), status)
	if seen.Meta.DataAsOf.Before(moved.Add(-time.Second)) {
		t.Errorf("the answer with the move says its data is as of %s, before the move at %s", seen.Meta.DataAsOf, moved)
	}
	if f := ask("no-cache"); f.Meta.Cached || f.count("first_contact") != 1 {
		t.Errorf("Cache-Control: no-cache answered cached %v, first_contact %d; want computed, 1", f.Meta.Cached, f.count("first_contact"))
	}
}

// TestServeShowsYourOwnWriteAtOnce: someone who moves a deal and asks for
// the funnel at once — one question, no polling, while the cached answer
// from before the move is young — gets the move: their answer waits for
// the change stream to bring their own write (read your own writes).
// Three moves, each followed by one question; each answer holds the
// deal in the stage it was just moved to and says its data is as of
// after the move.
func TestServeShowsYourOwnWriteAtOnce(t *testing.T) {
	base, token, deal := serveWithOneDeal(t)
	waitFor(t, "the new deal in the funnel", func() bool { return askCurrentFunnel(t, base, token, "").count("new") == 1 })
	if f := askCurrentFunnel(t, base, token, ""); !f.Meta.Cached {
		t.Fatalf("asked again over unchanged data: not cached (%+v)", f.Meta)
	}
	for _, stage := range []string{"first_contact", "needs", "presentation"} {
		moved := time.Now()
		if st, body := call(t, "POST", base+"/api/v1/deals/"+itoa(deal)+"/move", token, `{"stage":"`+stage+`"}`); st != 200 {
			t.Fatalf("move to %s: %d %s", stage, st, body)
		}
		f := askCurrentFunnel(t, base, token, "")
		if f.count(stage) != 1 || f.count("new") != 0 {
			t.Errorf("asked at once after moving the deal to %s: new %d, %s %d (cached %v, data as of %s); want the move",
				stage, f.count("new"), stage, f.count(stage), f.Meta.Cached, f.Meta.DataAsOf)
		}
		if f.Meta.DataAsOf.Before(moved.Add(-time.Second)) {
			t.Errorf("the answer after the move to %s says its data is as of %s, before the move at %s", stage, f.Meta.DataAsOf, moved)
		}
		t.Logf("moved to %s: answered in %s", stage, time.Since(moved).Round(time.Millisecond))
	}
}

// serveWithOneDeal runs `voronka serve` with its defaults on fresh
// databases, signs a director in and creates one deal in the sales
// pipeline's first stage once the initial load is done.
func serveWithOneDeal(t *testing.T) (base, token string, deal int64) {
	t.Helper()
	pg := testenv.NewPG(t)
	ch := testenv.NewCH(t)
	addr := freeAddr(t)
	vars := map[string]string{"VORONKA_PG_URL": pg.URL, "VORONKA_CH_DATABASE": ch.Database,
		"VORONKA_HTTP_ADDR": addr, "VORONKA_LOG_LEVEL": "warn"}
	if _, err := runCLI(t, vars, "user", "add", "--email", "dir@example.ru", "--name", "Директор", "--role", "director", "--password", "пароль1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, cliGetenv(vars), io.Discard, io.Discard) }()
	t.Cleanup(func() { cancel(); <-done })
	base = "http://" + addr
	waitHTTP(t, base+"/healthz")
	token = loginToken(t, base, "dir@example.ru", "пароль1")
	waitFor(t, "snapshot done", func() bool {
		_, body := call(t, "GET", base+"/api/v1/ingest/status", token, "")
		return strings.Contains(body, `"snapshot_done":true`)
	})
	st, body := call(t, "POST", base+"/api/v1/deals", token, `{"title":"Свежая сделка","pipeline":"sales","amount":1000,"currency":"RUB"}`)
	if st != 201 {
		t.Fatalf("create deal: %d %s", st, body)
	}
	var d struct{ ID int64 }
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	return base, token, d.ID
}

// askCurrentFunnel asks the sales pipeline's current funnel, with a
// Cache-Control header when given.
func askCurrentFunnel(t *testing.T, base, token, cacheControl string) funnelAnswer {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/v1/funnels/run", strings.NewReader(`{"pipeline":"sales","mode":"current"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	if cacheControl != "" {
		req.Header.Set("Cache-Control", cacheControl)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var f funnelAnswer
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&f) != nil {
		t.Fatalf("funnel: %d", resp.StatusCode)
	}
	return f
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
