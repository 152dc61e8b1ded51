package pages_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestBrowserStaleDeals: in Chromium, a manager sees their stale cards
// marked on the board, the reason on the deal page, their panel on the
// dashboard (docs/screenshots/kanban-stale.png, stale.png) and the stale
// deals report.
func TestBrowserStaleDeals(t *testing.T) {
	ts := newStale(t, true)
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	eval := dashtest.Eval(t, ctx)
	step("sign in", dashtest.SignIn(base, "manager@test.local", chromedp.EmulateViewport(1280, 900))...)
	step("the board", chromedp.Navigate(base+"/kanban/sales"), chromedp.WaitVisible(`.kanban .card-stale .stale`), dashtest.Screenshot("kanban-stale"))
	if got := eval(`[...document.querySelectorAll('.card-stale .title')].map(e => e.innerText).sort().join('|')`); got != "Застой-10|Застой-7" {
		t.Errorf("stale cards %q", got)
	}
	if got := eval(`document.querySelector('.card-stale[data-idle="10"] .stale').title`); got != "Сделка застоялась: 10\u00a0дней без активности (правило стадии: 7)" {
		t.Errorf("tooltip %q", got)
	}
	step("a stale card opens its deal", chromedp.Click(`.card-stale[data-idle="10"]`), chromedp.WaitVisible(`#deal-stale`))
	if got := eval(`document.querySelector('#deal-stale').innerText`); !strings.Contains(got, "Сделка застоялась: 10\u00a0дней без активности (правило стадии: 7)") {
		t.Errorf("deal page says %q", got)
	}
	step("the dashboard's panel", chromedp.Navigate(base+"/dashboards/manager"), chromedp.WaitVisible(`#panel-stale #stale-deals`),
		dashtest.FullScreenshot("stale", "#panel-stale"))
	if got := eval(`document.querySelector('#panel-stale').innerText`); !strings.Contains(got, "Застой-10") || !strings.Contains(got, "Застой-7") || strings.Contains(got, "Чужая") {
		t.Errorf("panel reads %q", got)
	}
	step("a panel link opens the deal", chromedp.Click(`#stale-deals a`), chromedp.WaitVisible(`#deal-stale`))
	step("the report", chromedp.Navigate(base+"/reports/stale_deals"), chromedp.WaitVisible(`table.data`))
	if got := eval(`document.querySelector('table.data').innerText`); !strings.Contains(got, "Сбор потребностей") || !strings.Contains(got, "Иванов Иван Иванович") {
		t.Errorf("report reads %q", got)
	}
}
