package pages_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// formatProbe runs static/format.js on options as the server marks them
// and returns what its formatters write: value axes, axis and item
// tooltips, a funnel's label, in Russian and English.
const formatProbe = `(() => {
  const bar = lang => voronkaFormat({voronka: {lang, series: ["money", "integer"]}, yAxis: [{type: "value"}, {type: "value"}],
    series: [{name: "Сумма", type: "bar"}, {name: "Сделок", type: "bar", yAxisIndex: 1}], tooltip: {trigger: "axis"}});
  const ru = bar("ru"), en = bar("en");
  const params = [{axisValueLabel: "июнь 2026", seriesName: "Сумма", seriesIndex: 0, value: 219966310.28, marker: ""},
    {seriesName: "Сделок", seriesIndex: 1, value: -1500, marker: ""}];
  const pct = voronkaFormat({voronka: {lang: "ru", series: ["percent"]}, yAxis: {}, series: [{type: "line"}]});
  const num = voronkaFormat({voronka: {lang: "ru", series: ["number"]}, yAxis: [{}], series: [{type: "line"}]});
  const pie = voronkaFormat({voronka: {lang: "ru", series: ["integer"]}, series: [{type: "pie"}]});
  const funnel = voronkaFormat({voronka: {lang: "ru", series: ["integer"]}, series: [{type: "funnel", label: {formatter: "{b}: {c}"}}]});
  const labelled = voronkaFormat({voronka: {lang: "ru", series: ["money"]}, series: [{type: "bar", label: {show: true, position: "right"}}]});
  return [ru.yAxis[0].axisLabel.formatter(219966310.28), ru.yAxis[1].axisLabel.formatter(1234), ru.tooltip.formatter(params),
    en.yAxis[0].axisLabel.formatter(219966310.28), en.tooltip.formatter(params),
    pct.yAxis.axisLabel.formatter(0.09448818897637795), num.yAxis[0].axisLabel.formatter(12.5),
    pie.tooltip.formatter({name: "<b>Сайт</b>", seriesIndex: 0, value: 1234, percent: 33.333, marker: ""}),
    funnel.series[0].label.formatter({name: "Первичный контакт · 45\u00a0%", value: 12000}),
    labelled.series[0].label.formatter({name: "Иванов", value: 410503.38})];
})()`

// TestChartFormatter: chart values read as the tables' (the rules of
// internal/i18n/format.go, expectations written by hand): no-break
// spaces and a decimal comma in Russian, ₽ and %, a minus sign, names
// escaped in tooltips.
func TestChartFormatter(t *testing.T) {
	ts := dashtest.New(t)
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	step("a page with the formatter", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`))
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](formatProbe))
	if err != nil {
		t.Fatal(err)
	}
	const nb = "\u00a0"
	want := []string{"219" + nb + "966" + nb + "310" + nb + "₽", "1" + nb + "234",
		"июнь 2026<br>Сумма: 219" + nb + "966" + nb + "310,28" + nb + "₽<br>Сделок: −1" + nb + "500",
		"219,966,310" + nb + "₽", "июнь 2026<br>Сумма: 219,966,310.28" + nb + "₽<br>Сделок: −1,500",
		"9,4" + nb + "%", "12,5", "&lt;b&gt;Сайт&lt;/b&gt;: 1" + nb + "234 (33,3" + nb + "%)",
		"Первичный контакт · 45" + nb + "%: 12" + nb + "000", "410" + nb + "503" + nb + "₽"}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %q, want %q", i, got[i], want[i])
		}
	}
}
