package dashboards_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

// demoNow is the seeded data's clock.
var demoNow = time.Date(2025, 6, 15, 12, 0, 0, 0, time.UTC)

// newDemoServer is a server over 1,000 seeded demo deals (the demo's
// logins: director@voronka.local, manager1@voronka.local, password demo),
// copied into ClickHouse.
func newDemoServer(t *testing.T) *dashtest.Server {
	t.Helper()
	pg, ch := testenv.NewPG(t), testenv.NewCH(t)
	if _, err := seed.Run(context.Background(), pg.Pool, seed.Options{Deals: 1000, Seed: 7, Now: demoNow}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	testenv.Mirror(t, pg, ch, testenv.Copy{})
	store := crmcore.NewStore(pg.Pool)
	return &dashtest.Server{T: t, PG: pg, Store: store, Srv: dashboards.New(server.Deps{Store: store, Ready: store.Ping,
		Reports: &engine.Engine{CH: ch.DB, Now: func() time.Time { return demoNow }},
		Saved:   &saved.Store{PG: pg.Pool, Now: func() time.Time { return demoNow }}})}
}

// TestBrowserDemo opens every dashboard over seeded demo data as the demo
// director and manager, checks the charts drew with no browser problem,
// and saves the screenshots for the README (docs/screenshots/): 1280 px
// wide, and the director's dashboard on a 390 px phone too.
func TestBrowserDemo(t *testing.T) {
	ts := newDemoServer(t)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	signIn := func(email string) {
		step("sign in as "+email, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
			chromedp.SendKeys(`input[name=email]`, email), chromedp.SendKeys(`input[name=password]`, seed.DemoPassword),
			chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`#panel-funnel`))
	}
	step("login page", chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`), dashtest.Screenshot("login"))
	signIn("director@voronka.local")
	for _, pg := range []struct {
		name, url string
		charts    int
	}{
		{"director", "/dashboards/director", 9},
		{"activity", "/dashboards/activity", 2},
		{"report", "/reports/deals_by_source", 1},
		{"builder", "/reports/new?dataset=deals&dim1=created_at&grain1=month&measure1=amount%3Asum&measure2=count&chart=bar&period=this_year" +
			"&f0_field=pipeline&f0_op=eq&f0_v=sales&f1_field=stage_kind&f1_op=ne&f1_v=lost", 1},
	} {
		current(t, ts)
		step(pg.name, chromedp.Navigate(base+pg.url), chromedp.WaitVisible(`main`))
		checkCharts(t, ctx, step, pg.name, pg.charts)
		if strings.Contains(pageText(t, ctx), "Аналитика недоступна") {
			t.Fatalf("%s: a panel failed", pg.name)
		}
		step(pg.name+" screenshot", dashtest.Screenshot(pg.name))
	}
	current(t, ts)
	step("director at 390 px", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/dashboards/director"),
		chromedp.WaitVisible(`body[data-charts=ready]`), dashtest.Screenshot("director-390"), chromedp.EmulateViewport(1280, 1000))
	step("kanban", chromedp.Navigate(base+"/kanban/sales"), chromedp.WaitVisible(`.kanban`), dashtest.Screenshot("kanban"))
	step("plans", chromedp.EmulateViewport(1280, 1500), chromedp.Navigate(base+"/plans?month=2025-06"), chromedp.WaitVisible(`#plans-table`),
		dashtest.Screenshot("plans"), chromedp.EmulateViewport(1280, 1000))
	step("sign out", chromedp.Click(`form[action="/logout"] button`), chromedp.WaitVisible(`input[name=email]`))
	current(t, ts)
	signIn("manager1@voronka.local")
	checkCharts(t, ctx, step, "manager", 5)
	step("manager screenshot", dashtest.Screenshot("manager"))
}

// TestBrowserDemoCompare opens the demo director's dashboard compared
// with the previous period (this year so far against as much of the
// last) and saves docs/screenshots/dashboard-compare.png: the period
// line, the funnel with its previous counts, the won amount and the
// sources with the previous period as lighter series.
func TestBrowserDemoCompare(t *testing.T) {
	ts := newDemoServer(t)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	step("sign in", chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, "director@voronka.local"), chromedp.SendKeys(`input[name=password]`, seed.DemoPassword),
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`#panel-funnel`))
	current(t, ts)
	step("compared", chromedp.Navigate(base+"/dashboards/director?compare=previous_period"), chromedp.WaitVisible(`#page-compared`))
	checkCharts(t, ctx, step, "director compared", 9)
	if text := pageText(t, ctx); strings.Contains(text, "Аналитика недоступна") || !strings.Contains(text, "столько же дней") {
		t.Fatalf("a panel failed, or the period line does not say the comparison is partial: %s", text)
	}
	// The compared panels (funnel, won by month, sources) from the
	// funnel down: the plan-fact's thirty managers are above them.
	step("screenshot", chromedp.EmulateViewport(1280, 1700), chromedp.ScrollIntoView(`#panel-funnel`),
		dashtest.Screenshot("dashboard-compare"))
	// The activity dashboard compared: the team's activity beside the
	// period before, the heatmap saying it shows the period itself.
	current(t, ts)
	step("activity compared", chromedp.EmulateViewport(1280, 1100), chromedp.Navigate(base+"/dashboards/activity?compare=previous_period"),
		chromedp.WaitVisible(`#page-compared`))
	checkCharts(t, ctx, step, "activity compared", 2)
	if text := pageText(t, ctx); strings.Contains(text, "Аналитика недоступна") || !strings.Contains(text, "пред. период") {
		t.Fatalf("a panel failed, or the team's activity shows no previous period: %s", text)
	}
	step("activity screenshot", dashtest.Screenshot("activity-compare"))
}

// current records that the copy holds every commit up to now, as a
// running change stream does (the header then shows current answers),
// and waits for the engine to read it again.
func current(t *testing.T, ts *dashtest.Server) {
	t.Helper()
	var tables []string
	for _, m := range olap.Mirrors() {
		tables = append(tables, m.Table)
	}
	if err := ts.Srv.Deps.Reports.CH.WriteWatermarks(context.Background(), append(tables, "deal_paths"), 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
}

// pageText is the visible text of the page.
func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Text(`body`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}
