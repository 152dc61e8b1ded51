package pages_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/domain"
)

func TestManagerDueActivities(t *testing.T) {
	ts := dashtest.NewReport(t)
	as := func(alias string) domain.Principal {
		u := ts.Users[alias]
		return domain.Principal{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role}
	}
	now := time.Now()
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	for _, a := range []struct {
		who, subject string
		due, done    *time.Time
	}{
		{"manager", "Позвонить клиенту", at(-26 * time.Hour), nil},
		{"manager", "Уже сделано", at(-26 * time.Hour), at(-time.Hour)},
		{"manager", "Через неделю", at(7 * 24 * time.Hour), nil},
		{"manager2", "Чужая задача", at(-26 * time.Hour), nil},
	} {
		if _, err := ts.Store.CreateActivity(context.Background(), as(a.who),
			crmcore.NewActivity{Type: crmcore.ActivityTask, Subject: a.subject, DueAt: a.due, DoneAt: a.done}); err != nil {
			t.Fatalf("%s: %v", a.subject, err)
		}
	}
	status, body, _ := ts.PageBody("GET", "/dashboards/manager", "manager", nil)
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	text := tableText(body)
	if !strings.Contains(text, "|Позвонить клиенту|") || !strings.Contains(text, "просрочено") {
		t.Errorf("the overdue task is missing: %s", text)
	}
	for _, s := range []string{"Уже сделано", "Через неделю", "Чужая задача"} {
		if strings.Contains(text, s) {
			t.Errorf("page shows %q", s)
		}
	}
	if _, body, _ := ts.PageBody("GET", "/dashboards/manager", "manager2", nil); !strings.Contains(body, "Чужая задача") || strings.Contains(body, "Позвонить клиенту") {
		t.Errorf("manager2's page: %s", tableText(body))
	}
}

// manyDueFixture: manager has 520 overdue tasks created in 2024 (due 10
// days ago and earlier, a minute apart) and one created in 2023, due an
// hour ago: the oldest of 521 activities, the last one due.
const manyDueFixture = `
INSERT INTO activities (type, subject, owner_id, due_at, created_at, updated_at)
SELECT 'task', 'Задача ' || i, %[1]d, now() - interval '10 days' - i * interval '1 minute',
       timestamptz '2024-01-01 00:00Z' + i * interval '1 minute', now()
FROM generate_series(1, 520) AS i;
INSERT INTO activities (type, subject, owner_id, due_at, created_at, updated_at)
VALUES ('task', 'Старое, но срочное', %[1]d, now() - interval '1 hour', '2023-01-01 00:00Z', now())`

// TestManyDueActivities: every activity of the user is read, however
// many (the one created first is found), and the list shows the 50 due
// last, saying how many there are.
func TestManyDueActivities(t *testing.T) {
	ts := dashtest.NewEngine(t, dashtest.ReportFixture, manyDueFixture)
	_, body, _ := ts.PageBody("GET", "/dashboards/manager", "manager", nil)
	text := tableText(body)
	for _, s := range []string{"|Старое, но срочное|", "|Задача 49|", "Показаны 50 дел из 521 — с самым поздним сроком."} {
		if !strings.Contains(text, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	if strings.Contains(text, "|Задача 50|") || strings.Count(text, "просрочено") != 50 {
		t.Errorf("%d overdue shown: %s", strings.Count(text, "просрочено"), text)
	}
}
