package pages_test

import (
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

func TestActivityDashboard(t *testing.T) {
	ts := dashtest.NewActivity(t)
	_, body, _ := ts.PageBody("GET", "/dashboards/activity", "director", nil)
	text := tableText(body)
	// heatmap table rows: owner, day, count — by hand from dashtest.ActivityFixture.
	for _, want := range []string{"|Иванов Иван Иванович||2025-01-10||3|", "|Иванов Иван Иванович||2025-01-11||1|", "|Петрова Анна Викторовна||2025-01-10||2|"} {
		if !strings.Contains(text, want) {
			t.Errorf("activity page lacks %q: %s", want, text)
		}
	}
	_, body, _ = ts.PageBody("GET", "/dashboards/activity", "manager", nil)
	if text := tableText(body); strings.Contains(text, "Петрова") || !strings.Contains(text, "|2025-01-11||1|") {
		t.Errorf("manager's activity page: %s", text)
	}
}
