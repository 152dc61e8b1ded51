package dashboards_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/dashboards/dashtest"
)

// apiRun posts a definition to /api/v1/reports/run as alias and returns
// the answer's columns and rows.
func apiRun(t *testing.T, ts *dashtest.Server, alias, def string) (cols, labels []string, rows [][]any) {
	t.Helper()
	var res struct {
		Columns []struct{ Key, Label string }
		Rows    [][]any
	}
	if status := ts.DoJSON("POST", "/api/v1/reports/run", alias, json.RawMessage(def), &res); status != 200 {
		t.Fatalf("run %s: %d", def, status)
	}
	for _, c := range res.Columns {
		cols, labels = append(cols, c.Key), append(labels, c.Label)
	}
	return cols, labels, res.Rows
}

// TestBrowserDemoFinance opens «Финансы» over the demo data as the demo
// director in Chromium: every chart draws, the page speaks Russian only,
// and each chart's figures are the API's answer to the same report — the
// receivables per manager (five stacked age buckets), acts against
// payments and payments planned against received by month of this year.
// A manager and an analyst may not open it. Saves
// docs/screenshots/finance.png.
func TestBrowserDemoFinance(t *testing.T) {
	ts := newDemoServer(t)
	ts.Tokens = map[string]string{}
	for alias, email := range map[string]string{"director": "director@voronka.local", "manager": "manager1@voronka.local"} {
		var lr struct{ Token string }
		body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, seed.DemoPassword)
		if status := ts.DoJSON("POST", "/api/v1/auth/login", "", json.RawMessage(body), &lr); status != 200 {
			t.Fatalf("login %s: %d", email, status)
		}
		ts.Tokens[alias] = lr.Token
	}
	for _, url := range []string{"/dashboards/finance", "/dashboards/finance/xlsx?panel=receivables"} {
		for who, want := range map[string]int{"manager": 403, "": 303, "director": 200} {
			if status, _, _ := ts.PageBody("GET", url, who, nil); status != want {
				t.Errorf("%s as %q: %d, want %d", url, who, status, want)
			}
		}
	}
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	run := dashtest.Eval(t, ctx)
	step("sign in", chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, "director@voronka.local"), chromedp.SendKeys(`input[name=password]`, seed.DemoPassword),
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`#panel-funnel`))
	current(t, ts)
	step("finance", chromedp.Navigate(base+"/dashboards/finance"), chromedp.WaitVisible(`#panel-receivables`))
	checkCharts(t, ctx, step, "finance", 3)
	text := pageText(t, ctx)
	if strings.Contains(text, "Аналитика недоступна") || !strings.Contains(text, "Финансы") {
		t.Fatalf("a panel failed or the page is not «Финансы»: %s", text)
	}
	if bad := englishIn(text); len(bad) > 0 {
		t.Errorf("English or codes on the Russian page: %q", bad)
	}
	for _, c := range []struct {
		chart, def, cat string
		series          []string
	}{
		{"receivables", `{"kind":"receivables","params":{"by":"responsible"}}`, "responsible_name",
			[]string{"not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90"}},
		{"acts_payments", `{"kind":"acts_payments","period":{"preset":"this_year"}}`, "month", []string{"acts", "received"}},
		{"payments_plan", `{"kind":"payments_plan_fact","period":{"preset":"this_year"}}`, "month", []string{"planned", "received"}},
	} {
		cols, labels, rows := apiRun(t, ts, "director", c.def)
		var o struct {
			XAxis  []struct{ Data []string } `json:"xAxis"`
			YAxis  []struct{ Data []string } `json:"yAxis"`
			Series []struct {
				Name string `json:"name"`
				Data []any  `json:"data"`
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(run(`JSON.stringify(echarts.getInstanceByDom(document.getElementById('chart-`+c.chart+`')).getOption())`)), &o); err != nil {
			t.Fatalf("%s: %v", c.chart, err)
		}
		if len(o.YAxis) > 0 && len(o.YAxis[0].Data) > 0 { // horizontal bars: the categories down the left
			o.XAxis = o.YAxis
		}
		if len(rows) == 0 || len(o.XAxis) == 0 || len(o.XAxis[0].Data) != len(rows) {
			t.Fatalf("%s: %v on the page, the API %d rows", c.chart, o.XAxis, len(rows))
		}
		// the page's series by name (a column's label; a series of zeros is not drawn)
		drawn := map[string][]any{}
		for _, sr := range o.Series {
			drawn[sr.Name] = sr.Data
		}
		nonzero := 0
		for i, row := range rows {
			at := func(key string) any {
				for j, k := range cols {
					if k == key {
						return row[j]
					}
				}
				t.Fatalf("%s: no column %s", c.chart, key)
				return nil
			}
			if cat := fmt.Sprint(at(c.cat)); c.cat != "month" && o.XAxis[0].Data[i] != cat {
				t.Errorf("%s: category %d is %q on the page, %q in the API", c.chart, i, o.XAxis[0].Data[i], cat)
			}
			for _, key := range c.series {
				var api, page float64
				fmt.Sscan(fmt.Sprint(at(key)), &api)
				label := labels[slices.Index(cols, key)]
				if data, ok := drawn[label]; ok && i < len(data) {
					page = num(data[i])
				}
				if page != api {
					t.Errorf("%s: %s of %v is %v on the page, %v in the API", c.chart, key, at(c.cat), page, api)
				}
				if api != 0 {
					nonzero++
				}
			}
		}
		if nonzero == 0 {
			t.Errorf("%s: every figure is zero: the demo has no such documents", c.chart)
		}
	}
	step("screenshot", chromedp.EmulateViewport(1280, 1800), dashtest.FullScreenshot("finance"))

	// The team's total over 90 days opens its invoices: as many as the
	// API's drill into the same figure lists, the breadcrumb in words.
	var drill struct {
		Meta struct{ Total int64 }
	}
	if status := ts.DoJSON("POST", "/api/v1/reports/drill", "director", json.RawMessage(
		`{"definition":{"kind":"receivables","params":{"by":"responsible"}},"cell":{},"column":"days_over_90"}`), &drill); status != 200 || drill.Meta.Total == 0 {
		t.Fatalf("drill over 90 days: %d, %d invoices", status, drill.Meta.Total)
	}
	clicked := run(`(() => { const p = document.getElementById('panel-receivables');
		const j = Array.from(p.querySelectorAll('thead th')).findIndex(h => h.textContent === 'Более 90 дней');
		const a = j >= 0 && p.querySelector('tfoot tr').cells[j].querySelector('a.drill'); if (!a) return ''; setTimeout(() => a.click(), 0); return a.textContent; })()`)
	if clicked == "" {
		t.Fatal("no drill link in the receivables' total over 90 days")
	}
	step("the invoices over 90 days", chromedp.WaitVisible(`#drill-count`))
	count, crumbs := run(`document.getElementById('drill-count').textContent`), run(`document.getElementById('drill-crumbs').textContent`)
	if want := fmt.Sprintf("%d", drill.Meta.Total); !strings.HasPrefix(strings.ReplaceAll(count, "\u00a0", " "), want+" ") ||
		!strings.Contains(count, "сч") || !strings.Contains(crumbs, "Финансы") || !strings.Contains(crumbs, "просрочка более 90 дней") {
		t.Errorf("drill page: %q under %q, want %s invoices", count, crumbs, want)
	}
	// in English: the same page, its panels named in English
	step("finance in English", chromedp.Navigate(base+"/dashboards/finance?lang=en"), chromedp.WaitVisible(`#panel-receivables`))
	checkCharts(t, ctx, step, "finance in English", 3)
	if text := pageText(t, ctx); !strings.Contains(text, "Finance") || !strings.Contains(text, "Receivables by age") ||
		!strings.Contains(text, "Over 90 days") || strings.Contains(text, "Дебиторская") {
		t.Errorf("the English page: %s", text)
	}
}

// num is a chart data item's number: a bare value or {value: v}.
func num(d any) float64 {
	switch x := d.(type) {
	case float64:
		return x
	case map[string]any:
		return num(x["value"])
	}
	return 0
}
