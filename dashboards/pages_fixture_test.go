package dashboards

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// activityFixture adds calls and meetings in January 2025 to
// reportFixture: manager 3 calls on the 10th, 1 meeting on the 11th;
// manager2 2 calls on the 10th.
const activityFixture = `
INSERT INTO activities (type, subject, owner_id, direction, done_at, created_at, updated_at)
SELECT v.type, v.subject, v.owner, v.dir, v.at::timestamptz, v.at::timestamptz, v.at::timestamptz
FROM (VALUES ('call', 'Звонок 1', %[1]d, 'out', '2025-01-10 10:00+03'), ('call', 'Звонок 2', %[1]d, 'out', '2025-01-10 11:00+03'),
             ('call', 'Звонок 3', %[1]d, 'in', '2025-01-10 12:00+03'), ('meeting', 'Встреча', %[1]d, NULL, '2025-01-11 12:00+03'),
             ('call', 'Звонок А', %[2]d, 'out', '2025-01-10 10:00+03'), ('call', 'Звонок Б', %[2]d, 'out', '2025-01-10 15:00+03'))
     AS v (type, subject, owner, dir, at)`

// newActivityServer is newReportServer's fixture plus activityFixture.
func newActivityServer(t *testing.T) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ctx := context.Background()
	m, m2 := ts.users["manager"].ID, ts.users["manager2"].ID
	for _, q := range []string{fmt.Sprintf(reportFixture, m, m2), fmt.Sprintf(activityFixture, m, m2)} {
		if _, err := ts.pg.Pool.Exec(ctx, q); err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	ch := testenv.NewCH(t)
	testenv.Mirror(t, ts.pg, ch, testenv.Copy{})
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	ts.srv = New(server.Deps{Store: ts.store, Ready: ts.store.Ping,
		Reports: &reports.Engine{CH: ch.DB, PG: ts.pg.Pool, Now: func() time.Time { return now }}})
	return ts
}

func TestActivityDashboard(t *testing.T) {
	ts := newActivityServer(t)
	_, body, _ := ts.pageBody("GET", "/dashboards/activity", "director", nil)
	text := tableText(body)
	// heatmap table rows: owner, day, count — by hand from activityFixture.
	for _, want := range []string{"|Иванов Иван Иванович||2025-01-10||3|", "|Иванов Иван Иванович||2025-01-11||1|", "|Петрова Анна Викторовна||2025-01-10||2|"} {
		if !strings.Contains(text, want) {
			t.Errorf("activity page lacks %q: %s", want, text)
		}
	}
	_, body, _ = ts.pageBody("GET", "/dashboards/activity", "manager", nil)
	if text := tableText(body); strings.Contains(text, "Петрова") || !strings.Contains(text, "|2025-01-11||1|") {
		t.Errorf("manager's activity page: %s", text)
	}
}
