package pages_test

import (
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

func TestActivityDashboard(t *testing.T) {
	ts := dashtest.NewActivity(t)
	// heatmap table rows: owner, bucket, count — by hand from
	// dashtest.ActivityFixture (10 and 11 January 2025, a Friday and a
	// Saturday): this year is counted by weeks, January by days.
	for url, rows := range map[string][]string{
		"/dashboards/activity": {"|Дела по неделям|", "|Иванов Иван Иванович||06.01.2025||4|", "|Петрова Анна Викторовна||06.01.2025||2|"},
		"/dashboards/activity?from=2025-01-01&to=2025-01-31": {"|Дела по дням|", "|Иванов Иван Иванович||10.01.2025||3|",
			"|Иванов Иван Иванович||11.01.2025||1|", "|Петрова Анна Викторовна||10.01.2025||2|"},
	} {
		_, body, _ := ts.PageBody("GET", url, "director", nil)
		text := tableText(body)
		for _, want := range rows {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q: %s", url, want, text)
			}
		}
	}
	_, body, _ := ts.PageBody("GET", "/dashboards/activity?from=2025-01-01&to=2025-01-31", "manager", nil)
	if text := tableText(body); strings.Contains(text, "Петрова") || !strings.Contains(text, "|11.01.2025||1|") {
		t.Errorf("manager's activity page: %s", text)
	}
}
