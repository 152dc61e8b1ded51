package dashboards_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// heatmapFixture: 28 more managers (30 with manager and manager2), each
// with 1 to 3 calls created every day of 2024 at noon in Moscow — about
// 22,000 activities, 10,980 owner-days.
const heatmapFixture = `
INSERT INTO users (email, name, role, password_hash)
SELECT 'hm' || i || '@test.local', 'Сотрудник ' || lpad(i::text, 2, '0'), 'manager', 'x' FROM generate_series(1, 28) AS i;
INSERT INTO activities (type, subject, owner_id, done_at, created_at, updated_at)
SELECT 'call', 'Звонок', u.id, t, t, t
FROM users u
CROSS JOIN generate_series(timestamptz '2024-01-01 12:00+03', timestamptz '2024-12-31 12:00+03', interval '1 day') AS t
CROSS JOIN generate_series(1, 3) AS k
WHERE (u.role = 'manager' OR u.id IN (%[1]d, %[2]d)) AND k <= 1 + mod(u.id + extract(doy FROM t)::int, 3)`

// heatmapCells reads the drawn heatmap: its rows (people), its cells as
// "person|bucket|count" and the rows whose first non-empty cell is blank
// on every canvas of the chart (ECharts draws progressively on a layer
// of its own).
const heatmapCells = `(() => {
  const el = document.getElementById('chart-heatmap');
  const chart = echarts.getInstanceByDom(el), opt = chart.getOption();
  const people = opt.yAxis[0].data, buckets = opt.xAxis[0].data;
  const cells = opt.series[0].data.map(d => d.value || d);
  const layers = Array.from(el.querySelectorAll('canvas'));
  const painted = (x, y) => layers.some(cv => {
    const dpr = cv.width / cv.clientWidth;
    return cv.getContext('2d').getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data[3] > 0;
  });
  const blank = people.filter((p, y) => {
    const c = cells.find(v => v[1] === y && v[2] > 0);
    return !painted(...chart.convertToPixel({seriesIndex: 0}, [c[0], c[1]]));
  });
  return {people, blank, height: el.clientHeight, cells: cells.map(v => people[v[1]] + '|' + buckets[v[0]] + '|' + v[2])};
})()`

// pgWeekly is the weekly heatmap of 2024 in plain SQL: activities by
// owner's name and Monday of the Moscow week of their creation.
const pgWeekly = `SELECT u.name || '|' || to_char(date_trunc('week', a.created_at AT TIME ZONE 'Europe/Moscow'), 'YYYY-MM-DD'), count(*)
FROM activities a JOIN users u ON u.id = a.owner_id
WHERE a.created_at >= '2024-01-01 00:00+03' AND a.created_at < '2025-01-01 00:00+03' GROUP BY 1`

// TestBrowserHeatmapEveryManager: a year of 30 managers' activities is
// drawn by weeks with every manager a row — every one in the chart's data
// with each weekly count as plain SQL counts it, each row painted on the
// canvas, the chart as tall as its rows — and a month by days.
func TestBrowserHeatmapEveryManager(t *testing.T) {
	ts := dashtest.NewEngine(t, heatmapFixture)
	base, ctx, step := dashtest.Browser(t, ts, 60*time.Second)
	step("sign in", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, "director@test.local"), chromedp.SendKeys(`input[name=password]`, dashtest.Password),
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`#panel-funnel`))
	type drawn struct {
		People, Blank, Cells []string
		Height               int
	}
	look := func(url string) drawn {
		t.Helper()
		step(url, chromedp.Navigate(base+url), chromedp.WaitVisible(`body[data-charts=ready]`))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[drawn](heatmapCells))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	year := look("/dashboards/activity?period=previous_year")
	var want []string
	for k, n := range pgCounts(t, ts, pgWeekly) {
		// the chart writes the week's Monday as a Russian reader does: 01.01.2024
		name, day, _ := strings.Cut(k, "|")
		if d, err := time.Parse(time.DateOnly, day); err == nil {
			day = d.Format("02.01.2006")
		}
		want = append(want, fmt.Sprintf("%s|%s|%d", name, day, n))
	}
	slices.Sort(want)
	slices.Sort(year.Cells)
	if len(year.People) != 30 || len(year.Blank) > 0 || year.Height < 30*20 {
		t.Errorf("2024: %d people drawn %dpx high, blank rows %v", len(year.People), year.Height, year.Blank)
	}
	if len(want) < 30*52 || strings.Join(year.Cells, "\n") != strings.Join(want, "\n") {
		t.Errorf("2024 by weeks: %d cells, plain SQL %d; first %v / %v", len(year.Cells), len(want), year.Cells[:min(3, len(year.Cells))], want[:min(3, len(want))])
	}
	month := look("/dashboards/activity?from=2024-03-01&to=2024-03-31")
	if len(month.People) != 30 || len(month.Blank) > 0 || len(month.Cells) != 30*31 {
		t.Errorf("March 2024 by days: %d people, %d cells, blank rows %v", len(month.People), len(month.Cells), month.Blank)
	}
	text := pageText(t, ctx)
	if !strings.Contains(text, "Дела по дням") || !strings.Contains(text, "Шаг — день") {
		t.Errorf("the panel does not say it counts by days: %s", text)
	}
}
