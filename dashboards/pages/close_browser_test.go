package pages_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// closeDeal is a deal with an expected close date and forecast
// category, as the API answers it.
type closeDeal struct {
	ID                   int64
	ExpectedCloseAt      *string `json:"expected_close_at"`
	ForecastCategory     *string `json:"forecast_category"`
	ForecastCategoryAuto string  `json:"forecast_category_auto"`
}

// ruDay writes an API date (YYYY-MM-DD) as a Russian reader does:
// 31.03.2026.
func ruDay(t *testing.T, day *string) string {
	t.Helper()
	if day == nil {
		t.Fatal("the API answered no expected_close_at")
	}
	y, m, d := (*day)[0:4], (*day)[5:7], (*day)[8:10]
	return d + "." + m + "." + y
}

// TestBrowserExpectedClose: in Chromium, the board shows each card's
// expected close date under the amount as the API answers it (Russian
// dates), marked when it has passed and the deal is open — not on a
// won deal with a past date, not on a future one; the deal page says
// «Ожидаемое закрытие» with the date; the English page writes it in
// English. Next to the date, the forecast category: a select of «По
// вероятности стадии (<the category of its stage>)» and the three
// categories; choosing one saves it (the page after a reload and the
// API's deal have it), choosing the first clears it; no English on the
// Russian page, no Russian on the English one. Screenshots:
// kanban-close, deal-close, deal-forecast (VORONKA_SCREENSHOTS=1).
func TestBrowserExpectedClose(t *testing.T) {
	ts := newKanban(t)
	soon := time.Now().In(moscow).AddDate(0, 0, 40).Format(time.DateOnly)
	deals := map[string]closeDeal{}
	for _, d := range []struct{ name, title, day string }{
		{"overdue", "Просроченная поставка", "2024-11-05"},
		{"soon", "Поставка к весне", soon},
		{"won", "Выигранная в срок", "2024-10-01"},
		{"none", "Без даты", ""},
	} {
		body := fmt.Sprintf(`{"title":%q,"pipeline":"sales","amount":50000,"expected_close_at":%q}`, d.title, d.day)
		var out closeDeal
		if st := ts.DoJSON("POST", "/api/v1/deals", "manager", json.RawMessage(body), &out); st != 201 && st != 200 {
			t.Fatalf("POST %s: %d", body, st)
		}
		deals[d.name] = out
	}
	won := "/api/v1/deals/" + dashtest.Itoa(deals["won"].ID)
	for _, stage := range []string{"first_contact", "needs", "presentation", "proposal", "decision", "won"} {
		if st := ts.DoJSON("POST", won+"/move", "manager", json.RawMessage(`{"stage":"`+stage+`"}`), nil); st >= 300 {
			t.Fatalf("move the won deal to %s: %d", stage, st)
		}
	}
	// what the API answers now is what the pages must show
	for name, d := range deals {
		if st := ts.DoJSON("GET", "/api/v1/deals/"+dashtest.Itoa(d.ID), "manager", nil, &d); st != 200 {
			t.Fatalf("GET deal %s: %d", name, st)
		}
		deals[name] = d
	}
	if deals["none"].ExpectedCloseAt != nil || *deals["soon"].ExpectedCloseAt != soon || *deals["overdue"].ExpectedCloseAt != "2024-11-05" {
		t.Fatalf("API dates: %+v", deals)
	}

	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	step("sign in", dashtest.SignIn(base, "manager@test.local")...)
	step("the board", chromedp.Navigate(base+"/kanban/sales"), chromedp.WaitVisible(`.kanban .card .close`), dashtest.Screenshot("kanban-close"))
	card := func(name string) (text, class string) {
		t.Helper()
		sel := fmt.Sprintf(`a.card[data-deal="%d"] .close`, deals[name].ID)
		js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.className + "|" + e.innerText : "" })()`, sel)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		class, text, _ = strings.Cut(got, "|")
		return text, class
	}
	for _, c := range []struct {
		name, text, class string
	}{
		{"overdue", "закрытие " + ruDay(t, deals["overdue"].ExpectedCloseAt) + " · просрочена", "close overdue"},
		{"soon", "закрытие " + ruDay(t, deals["soon"].ExpectedCloseAt), "close"},
		{"won", "закрытие " + ruDay(t, deals["won"].ExpectedCloseAt), "close"},
		{"none", "", ""},
	} {
		if text, class := card(c.name); text != c.text || class != c.class {
			t.Errorf("%s card: %q (class %q), want %q (class %q)", c.name, text, class, c.text, c.class)
		}
	}
	color, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`getComputedStyle(document.querySelector('a.card[data-deal="%d"] .close')).color`, deals["overdue"].ID)))
	if err != nil || color != "rgb(180, 35, 24)" {
		t.Errorf("overdue date colour %q (%v), want red rgb(180, 35, 24)", color, err)
	}

	id := dashtest.Itoa(deals["overdue"].ID)
	step("its deal page", chromedp.Navigate(base+"/deals/"+id), chromedp.WaitVisible(`#deal-expected-close`), dashtest.Screenshot("deal-close"))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#deal').innerText`))
	if want := "Ожидаемое закрытие\n" + ruDay(t, deals["overdue"].ExpectedCloseAt) + " · срок прошёл, сделка не закрыта"; err != nil || !strings.Contains(text, want) {
		t.Errorf("deal page reads %q (%v), want %q", text, err, want)
	}
	step("in English", chromedp.Navigate(base+"/deals/"+dashtest.Itoa(deals["soon"].ID)+"?lang=en"), chromedp.WaitVisible(`#deal-expected-close`))
	text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#deal').innerText`))
	if want := "Expected close\n" + *deals["soon"].ExpectedCloseAt + "\n"; err != nil || !strings.Contains(text+"\n", want) || strings.Contains(text, "overdue") {
		t.Errorf("English deal page reads %q (%v), want %q and no overdue", text, err, want)
	}
	step("a deal without a date", chromedp.Navigate(base+"/deals/"+dashtest.Itoa(deals["none"].ID)), chromedp.WaitVisible(`#deal`))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#deal-expected-close').length`)); err != nil || n != 0 {
		t.Errorf("a deal without a date shows %d expected close rows (%v)", n, err)
	}

	forecastCategory(ctx, t, ts, step, base, deals["soon"])
}

// forecastCategory checks the deal page's forecast category select on
// deal d (open, no category set).
func forecastCategory(ctx context.Context, t *testing.T, ts *dashtest.Server, step dashtest.Step, base string, d closeDeal) {
	t.Helper()
	labels := map[string]string{"commit": "Уверенно", "best_case": "Вероятно", "pipeline": "Возможно"}
	auto := "По вероятности стадии (" + labels[d.ForecastCategoryAuto] + ")"
	if d.ForecastCategory != nil || labels[d.ForecastCategoryAuto] == "" {
		t.Fatalf("the API's new deal: category %v, auto %q", d.ForecastCategory, d.ForecastCategoryAuto)
	}
	page := base + "/deals/" + dashtest.Itoa(d.ID) + "?lang=ru" // the test read the English page before
	const sel = `#deal-forecast-category`
	// shown: "value|selected text|every option's text|the row's text"
	shown := func() string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const s = document.querySelector('`+sel+`');
			return s.value + "|" + s.options[s.selectedIndex].text + "|" + Array.from(s.options, o => o.text).join(";") + "|" +
				document.querySelector('#deal-forecast').previousElementSibling.innerText })()`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	choose := func(value string) {
		t.Helper()
		step("choose "+value, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('`+sel+`'); s.value = '`+value+`';
			s.dispatchEvent(new Event('change', {bubbles: true})) })()`), chromedp.WaitVisible(`#deal-forecast-status.ok`))
		if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#deal-forecast-status').innerText`)); err != nil || got != "Сохранено" {
			t.Errorf("after choosing %q the page says %q (%v), want Сохранено", value, got, err)
		}
	}
	apiCategory := func() *string {
		t.Helper()
		var got closeDeal
		if st := ts.DoJSON("GET", "/api/v1/deals/"+dashtest.Itoa(d.ID), "manager", nil, &got); st != 200 {
			t.Fatalf("GET deal: %d", st)
		}
		return got.ForecastCategory
	}
	options := auto + ";Уверенно;Вероятно;Возможно|Категория прогноза"

	step("the forecast category", chromedp.Navigate(page), chromedp.WaitVisible(sel))
	if got, want := shown(), "|"+auto+"|"+options; got != want {
		t.Errorf("before: %q, want %q", got, want)
	}
	choose("commit")
	step("the screenshot", dashtest.Screenshot("deal-forecast"))
	step("reload", chromedp.Navigate(page), chromedp.WaitVisible(sel))
	if got, want := shown(), "commit|Уверенно|"+options; got != want {
		t.Errorf("after choosing commit and a reload: %q, want %q", got, want)
	}
	if c := apiCategory(); c == nil || *c != "commit" {
		t.Errorf("the API's deal has category %v, want commit", c)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#deal').innerText + Array.from(document.querySelectorAll('#deal option'), o => o.text).join(" ")`))
	if latin := regexp.MustCompile(`[A-Za-z]{2,}`).FindString(text); err != nil || latin != "" {
		t.Errorf("the Russian deal page has English %q (%v): %q", latin, err, text)
	}
	choose("")
	step("reload after clearing", chromedp.Navigate(page), chromedp.WaitVisible(sel))
	if got, want := shown(), "|"+auto+"|"+options; got != want {
		t.Errorf("after clearing and a reload: %q, want %q", got, want)
	}
	if c := apiCategory(); c != nil {
		t.Errorf("the API's deal has category %q, want none", *c)
	}
	step("in English", chromedp.Navigate(base+"/deals/"+dashtest.Itoa(d.ID)+"?lang=en"), chromedp.WaitVisible(sel))
	enAuto := map[string]string{"commit": "Commit", "best_case": "Best case", "pipeline": "Pipeline"}[d.ForecastCategoryAuto]
	if got, want := shown(), "|By the stage's probability ("+enAuto+")|By the stage's probability ("+enAuto+");Commit;Best case;Pipeline|Forecast category"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
}
