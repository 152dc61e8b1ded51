package pages_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestBrowserDealMerge: in Chromium, a director opens a deal, types the
// number of its duplicate, sees the duplicate's title in the question,
// confirms, and the reloaded page shows the duplicate's activity among
// its own and the duplicate in «Объединённые сделки»; the duplicate's
// page is gone. A deal of another pipeline is refused with the server's
// Russian message and nothing merged. No English on the Russian page, no
// merge form for a manager, who sees the merged deal by number only; the
// English page reads in English.
// Screenshot: deal-merge (VORONKA_SCREENSHOTS=1).
func TestBrowserDealMerge(t *testing.T) {
	ts := dashtest.New(t)
	type deal struct{ ID int64 }
	var keep, dup, other deal
	for _, d := range []struct {
		out  *deal
		body string
	}{
		{&keep, `{"title":"Поставка станков для «Ромашки»","pipeline":"sales","amount":1200000}`},
		{&dup, `{"title":"Станки Ромашка (повтор заявки)","pipeline":"sales","amount":900000}`},
		{&other, `{"title":"Интерес к обучению","pipeline":"interest","amount":50000}`},
	} {
		if st := ts.DoJSON("POST", "/api/v1/deals", "manager", json.RawMessage(d.body), d.out); st != 201 {
			t.Fatalf("POST %s: %d", d.body, st)
		}
	}
	for _, a := range []struct {
		deal    int64
		subject string
	}{{keep.ID, "Первый звонок директору"}, {dup.ID, "Встреча на производстве"}} {
		body := map[string]any{"type": "meeting", "subject": a.subject, "owner_id": ts.Users["manager"].ID, "deal_id": a.deal}
		if st := ts.DoJSON("POST", "/api/v1/activities", "manager", body, nil); st != 201 {
			t.Fatalf("activity %q: %d", a.subject, st)
		}
	}
	page := "/deals/" + dashtest.Itoa(keep.ID)
	if _, body, _ := ts.PageBody("GET", page, "manager", nil); strings.Contains(body, `id="deal-merge"`) {
		t.Error("a manager's deal page offers the merge")
	}

	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	text := func(sel string) string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector('`+sel+`'); return e ? e.innerText : "" })()`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	find := func(id int64) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{chromedp.SetValue(`#deal-merge-id`, dashtest.Itoa(id)), chromedp.Click(`#deal-merge-find`),
			chromedp.WaitVisible(`#deal-merge-confirm`)}
	}
	step("sign in", dashtest.SignIn(base, "director@test.local")...)
	step("the kept deal", chromedp.Navigate(base+page), chromedp.WaitVisible(`#deal-merge-form`))

	step("another pipeline's deal", find(other.ID)...)
	step("refused", chromedp.Click(`#deal-merge-yes`), chromedp.WaitVisible(`#deal-merge-status.bad`))
	if got, want := text(`#deal-merge-status`), "Не объединено: Сделки в разных воронках: объединяются только сделки одной воронки."; got != want {
		t.Errorf("refusal reads %q, want %q", got, want)
	}
	if n := ts.RowCount("merges"); n != 0 {
		t.Fatalf("a refused merge logged %d merges", n)
	}

	step("the duplicate", find(dup.ID)...)
	if got, want := text(`#deal-merge-question`), "Объединить сделку №"+dashtest.Itoa(dup.ID)+" «Станки Ромашка (повтор заявки)» с этой? Отменить объединение нельзя."; got != want {
		t.Errorf("question %q, want %q", got, want)
	}
	ru := text(`main`)
	if latin := regexp.MustCompile(`[A-Za-z]{2,}`).FindString(ru); latin != "" {
		t.Errorf("the Russian deal page has English %q: %q", latin, ru)
	}
	step("the screenshot", chromedp.ScrollIntoView(`#deal-merge`), dashtest.Screenshot("deal-merge"))
	step("merge", chromedp.Click(`#deal-merge-yes`), chromedp.WaitVisible(`#deal-merged`))
	if acts := text(`#deal-activities`); !strings.Contains(acts, "Встреча на производстве") || !strings.Contains(acts, "Первый звонок директору") {
		t.Errorf("the kept deal's activities after the merge: %q", acts)
	}
	if got, want := text(`#deal-merged`), "№"+dashtest.Itoa(dup.ID)+" «Станки Ромашка (повтор заявки)»"; !strings.HasPrefix(got, want) {
		t.Errorf("merged deals %q, want %q…", got, want)
	}
	if st, _, _ := ts.PageBody("GET", "/deals/"+dashtest.Itoa(dup.ID), "director", nil); st != 404 {
		t.Errorf("the merged deal's page: %d, want 404", st)
	}
	if _, body, _ := ts.PageBody("GET", page, "manager", nil); !strings.Contains(body, "<li>№"+dashtest.Itoa(dup.ID)+" · ") || strings.Contains(body, "повтор заявки") {
		t.Error("the manager's page should list the merged deal by number only")
	}
	step("in English", chromedp.Navigate(base+page+"?lang=en"), chromedp.WaitVisible(`#deal-merge-form`))
	if got := text(`#deal-merge h2`) + "|" + text(`#deal-merged`); !strings.HasPrefix(got, "Merge another deal into this one|No. "+dashtest.Itoa(dup.ID)+" “Станки") {
		t.Errorf("English page: %q", got)
	}
}
