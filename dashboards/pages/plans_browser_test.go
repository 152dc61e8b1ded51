package pages_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// apiPlans are GET /api/v1/plans?month= as "who metric value" lines
// (who: m, m2), sorted; only the plans for all pipelines.
func apiPlans(t *testing.T, ts *dashtest.Server, month string) string {
	t.Helper()
	var out apiList[struct {
		Metric        string
		Pipeline      *string
		ResponsibleID int64       `json:"responsible_id"`
		Value         json.Number // as the API writes it: 800000.50
	}]
	if status := ts.DoJSON("GET", "/api/v1/plans?month="+month, "director", nil, &out); status != 200 {
		t.Fatalf("GET /plans: %d", status)
	}
	who := map[int64]string{ts.Users["manager"].ID: "m", ts.Users["manager2"].ID: "m2"}
	var lines []string
	for _, p := range out.Items {
		if p.Pipeline == nil {
			lines = append(lines, fmt.Sprintf("%s %s %s", who[p.ResponsibleID], p.Metric, p.Value))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "; ")
}

// TestBrowserPlans: in Chromium, the director opens March 2026's plans,
// types figures (a wrong one is named beside its cell), copies
// February's plans into the table, fixes a cell the script refuses and
// one the server refuses (nothing saved either time), saves, and the API
// then answers exactly the table; a file with a bad cell lists the
// problem by row and column, a good one imports and the table shows it.
// Expected figures are written by hand.
func TestBrowserPlans(t *testing.T) {
	ts := dashtest.New(t)
	m, m2 := ts.Users["manager"].ID, ts.Users["manager2"].ID
	setPlansAPI(t, ts, fmt.Sprintf(`{"sets":[
		{"metric":"won_amount","month":"2026-02","targets":[{"responsible_id":%[1]d,"value":1000000},{"responsible_id":%[2]d,"value":"800000.50"}]},
		{"metric":"calls","month":"2026-02","targets":[{"responsible_id":%[1]d,"value":100}]},
		{"metric":"meetings","month":"2026-02","targets":[{"responsible_id":%[2]d,"value":12}]},
		{"metric":"calls","month":"2026-02","pipeline":"sales","targets":[{"responsible_id":%[2]d,"value":999}]},
		{"metric":"won_amount","month":"2026-03","targets":[{"responsible_id":%[1]d,"value":"1234567.89"}]}]}`, m, m2))
	cell := func(id int64, metric string) string {
		return fmt.Sprintf(`tr[data-user="%d"] input[name=%s]`, id, metric)
	}
	errOf := func(id int64, metric string) string {
		return fmt.Sprintf(`tr[data-user="%d"] td[data-metric=%s] .cell-error`, id, metric)
	}
	typeIn := func(sel, text string) chromedp.Action[chromedp.Void] {
		el := `document.querySelector('` + sel + `')`
		return chromedp.Steps(chromedp.Evaluate[chromedp.Void](el+`.value = ""`), chromedp.SendKeys(sel, text),
			chromedp.Evaluate[chromedp.Void](el+`.dispatchEvent(new Event("change", {bubbles: true}))`))
	}
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	read := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	value := func(sel string) string { return read(`document.querySelector('` + sel + `').value`) }
	text := func(sel string) string { return read(`document.querySelector('` + sel + `').textContent`) }
	waitText := func(sel, want string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](`(document.querySelector('`+sel+`') || {}).textContent === `+fmt.Sprintf("%q", want), chromedp.WithPollingTimeout(10*time.Second))
	}
	nb := "\u00a0"
	step("sign in", dashtest.SignIn(base, "director@test.local", chromedp.EmulateViewport(1280, 900))...)
	step("the plan page", chromedp.Navigate(base+"/plans?month=2026-03"), chromedp.WaitVisible(`#plans-table`))
	if v := value(cell(m, "won_amount")); v != "1"+nb+"234"+nb+"567,89" {
		t.Errorf("March's plan reads %q", v)
	}
	step("a word where a figure goes", typeIn(cell(m, "calls"), "много"), waitText(errOf(m, "calls"), "Нужно число, например 1 500 000 или 1 500 000,50."))
	step("figures", typeIn(cell(m, "calls"), "1500"), typeIn(cell(m, "new_deals"), "10"), typeIn(cell(m2, "won_amount"), "2500000,5"),
		waitText(`[data-total=won_amount]`, "3"+nb+"734"+nb+"568,39"+nb+"₽"))
	if v, e := value(cell(m2, "won_amount")), text(errOf(m, "calls")); v != "2"+nb+"500"+nb+"000,50" || e != "" {
		t.Errorf("typed 2500000,5 reads %q; the fixed cell's error %q", v, e)
	}
	if tot := text(`[data-total=calls]`); tot != "1"+nb+"500" {
		t.Errorf("calls total %q", tot)
	}

	step("copy February", chromedp.Click(`#plans-copy`), waitText(`#plans-status`, "Подставлены планы за февраль 2026. Нажмите «Сохранить», чтобы записать их."))
	for sel, want := range map[string]string{
		cell(m, "won_amount"): "1" + nb + "000" + nb + "000,00", cell(m, "calls"): "100", cell(m, "new_deals"): "",
		cell(m2, "won_amount"): "800" + nb + "000,50", cell(m2, "meetings"): "12", cell(m2, "calls"): "",
	} {
		if v := value(sel); v != want {
			t.Errorf("after the copy %s reads %q, want %q", sel, v, want)
		}
	}
	if tot := text(`[data-total=won_amount]`); tot != "1"+nb+"800"+nb+"000,50"+nb+"₽" {
		t.Errorf("won total after the copy %q", tot)
	}
	if got := apiPlans(t, ts, "2026-03"); got != "m won_amount 1234567.89" {
		t.Errorf("the copy saved something: %s", got)
	}

	step("a fraction of a deal", typeIn(cell(m, "won_count"), "3,5"), chromedp.Click(`#plans-save`),
		waitText(`#plans-status`, "Не сохранено: исправьте отмеченные ячейки. Ничего не записано."), waitText(errOf(m, "won_count"), "Нужно целое число."))
	step("seventeen digits", typeIn(cell(m, "won_count"), "3"), typeIn(cell(m2, "calls"), "12345678901234567"), chromedp.Click(`#plans-save`),
		waitText(errOf(m2, "calls"), "Значение вне допустимых границ."), waitText(`#plans-status`, "Не сохранено: исправьте отмеченные ячейки. Ничего не записано."))
	if v := value(cell(m2, "calls")); v != "12"+nb+"345"+nb+"678"+nb+"901"+nb+"234"+nb+"567" {
		t.Errorf("seventeen digits read %q", v)
	}
	if got := apiPlans(t, ts, "2026-03"); got != "m won_amount 1234567.89" {
		t.Errorf("a refused save stored something: %s", got)
	}
	step("save", typeIn(cell(m2, "calls"), "75"), chromedp.Click(`#plans-save`), waitText(`#plans-status`, "Сохранено: значений плана — 6."))
	want := "m calls 100.00; m won_amount 1000000.00; m won_count 3.00; m2 calls 75.00; m2 meetings 12.00; m2 won_amount 800000.50"
	if got := apiPlans(t, ts, "2026-03"); got != want {
		t.Errorf("the API after Save: %s\nwant %s", got, want)
	}
	// A figure on the page is the API's: 800000.50 in Russian digits.
	if v := value(cell(m2, "won_amount")); v != "800"+nb+"000,50" || text(errOf(m2, "calls")) != "" {
		t.Errorf("after the save the page reads %q", v)
	}
	step("reload", chromedp.Reload(), chromedp.WaitVisible(`#plans-table`))
	if v, tot := value(cell(m2, "won_amount")), text(`[data-total=won_amount]`); v != "800"+nb+"000,50" || tot != "1"+nb+"800"+nb+"000,50"+nb+"₽" {
		t.Errorf("reloaded: %q, total %q", v, tot)
	}

	dir := t.TempDir()
	bad, good := filepath.Join(dir, "bad.csv"), filepath.Join(dir, "good.csv")
	os.WriteFile(bad, []byte("Менеджер;Месяц;Звонки\nmanager@test.local;март 2026;сто\n"), 0o644)
	os.WriteFile(good, []byte("Менеджер;Месяц;Звонки;Встречи\nИванов Иван Иванович;март 2026;120;4\nmanager2@test.local;2026-03;;\n"), 0o644)
	step("a bad file", chromedp.SetUploadFiles(`#plans-file`, []string{bad}), waitText(`#plans-file-name`, "bad.csv"), chromedp.Click(`#plans-import-run`),
		waitText(`#plans-import-result ul.problems li`, "Строка 2, «Звонки»: «сто» — не число: пишите, например, 1 500 000 или 1500000,50."))
	if got := apiPlans(t, ts, "2026-03"); got != want {
		t.Errorf("a refused file changed the plans: %s", got)
	}
	step("a good file", chromedp.SetUploadFiles(`#plans-file`, []string{good}), chromedp.Click(`#plans-import-run`),
		waitText(`#plans-import-result p`, "Импортировано: строк — 2, значений плана — 2 (новых или изменённых — 2, без изменений — 0)."),
		chromedp.Poll[chromedp.Void](`document.querySelector('`+cell(m, "meetings")+`').value === "4"`, chromedp.WithPollingTimeout(10*time.Second)))
	if v := value(cell(m, "calls")); v != "120" {
		t.Errorf("after the import the calls read %q", v)
	}
	want = "m calls 120.00; m meetings 4.00; m won_amount 1000000.00; m won_count 3.00; m2 calls 75.00; m2 meetings 12.00; m2 won_amount 800000.50"
	if got := apiPlans(t, ts, "2026-03"); got != want {
		t.Errorf("the API after the import: %s\nwant %s", got, want)
	}
	if page := read(`document.body.innerText`); strings.Contains(page, "won_amount") || strings.Contains(page, "undefined") || strings.Contains(page, "NaN") {
		t.Errorf("codes or script leftovers on the Russian page: %s", page)
	}
}
