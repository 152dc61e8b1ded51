package pages_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestBrowserKanbanToDeal: in Chromium, a manager's board (own cards,
// an observed one marked) opens a card's deal page by a click, and the
// deal page leads back to the board (docs/screenshots/kanban.png and
// deal.png).
func TestBrowserKanbanToDeal(t *testing.T) {
	ts := newKanban(t)
	id := dashtest.Itoa(richDeal(t, ts))
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	step("sign in", dashtest.SignIn(base, "manager@test.local")...)
	step("the board", chromedp.Navigate(base+"/kanban/sales"), chromedp.WaitVisible(`.kanban .card-observed`),
		chromedp.WaitVisible(`.kcol[data-stage=needs] .kmore`), dashtest.Screenshot("kanban"))
	step("a card opens its deal", chromedp.Click(`a.card[data-deal="`+id+`"]`), chromedp.WaitVisible(`#deal[data-deal="`+id+`"]`),
		chromedp.WaitVisible(`#deal-history`), dashtest.Screenshot("deal"))
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || loc != "/deals/"+id {
		t.Fatalf("after the click: %q %v", loc, err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#deal').innerText`))
	if err != nil || !strings.Contains(text, "1\u00a0234\u00a0567,89\u00a0₽") || !strings.Contains(text, "проиграна") {
		t.Errorf("deal card reads %q (%v)", text, err)
	}
	step("back to the board", chromedp.Click(`#deal-back`), chromedp.WaitVisible(`.kanban`))
}
