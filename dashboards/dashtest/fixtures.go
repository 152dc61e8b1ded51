package dashtest

import (
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/schedule"
)

// ReportFixture: manager's deals М-1 (1000 RUB) and М-2 (100 USD at 90 =
// 9000 ₽), manager2's «Секрет» (5000 RUB), all created in January 2025.
const ReportFixture = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at)
SELECT v.title, p.id, s.id, v.amount, v.cur, v.resp, v.at::timestamptz, v.at::timestamptz
FROM (VALUES ('М-1', 'new', 1000, 'RUB', %[1]d, '2025-01-10 10:00+03'), ('М-2', 'won', 100, 'USD', %[1]d, '2025-01-20 10:00+03'),
             ('Секрет', 'needs', 5000, 'RUB', %[2]d, '2025-01-15 10:00+03')) AS v (title, stage, amount, cur, resp, at)
JOIN pipelines p ON p.code = 'sales' JOIN stages s ON s.pipeline_id = p.id AND s.code = v.stage`

// NewReport is NewEngine over ReportFixture: the harness with the fixture
// copied to ClickHouse and the server given a report engine over it.
func NewReport(t *testing.T) *Server {
	t.Helper()
	return NewEngine(t, ReportFixture)
}

// ActivityFixture adds calls and meetings in January 2025 to
// ReportFixture: manager 3 calls on the 10th, 1 meeting on the 11th;
// manager2 2 calls on the 10th.
const ActivityFixture = `
INSERT INTO activities (type, subject, owner_id, direction, done_at, created_at, updated_at)
SELECT v.type, v.subject, v.owner, v.dir, v.at::timestamptz, v.at::timestamptz, v.at::timestamptz
FROM (VALUES ('call', 'Звонок 1', %[1]d, 'out', '2025-01-10 10:00+03'), ('call', 'Звонок 2', %[1]d, 'out', '2025-01-10 11:00+03'),
             ('call', 'Звонок 3', %[1]d, 'in', '2025-01-10 12:00+03'), ('meeting', 'Встреча', %[1]d, NULL, '2025-01-11 12:00+03'),
             ('call', 'Звонок А', %[2]d, 'out', '2025-01-10 10:00+03'), ('call', 'Звонок Б', %[2]d, 'out', '2025-01-10 15:00+03'))
     AS v (type, subject, owner, dir, at)`

// NewActivity is NewReport's fixture plus ActivityFixture.
func NewActivity(t *testing.T) *Server {
	t.Helper()
	return NewEngine(t, ReportFixture, ActivityFixture)
}

// ScheduleServer is the report harness (ReportFixture) with scheduled
// exports mailed to an in-process SMTP server, or written to Dir.
type ScheduleServer struct {
	*Server
	SMTP *reportstest.SMTPServer
	Dir  string
}

// NewSchedule is NewReport with a schedule service that mails
// to an in-process SMTP server (or writes to Dir), its clock at
// 2025-02-03 06:00 UTC.
func NewSchedule(t *testing.T) *ScheduleServer {
	ts := NewReport(t)
	srv := reportstest.NewSMTP(t, 0)
	dir := t.TempDir()
	svc := &schedule.Service{PG: ts.PG.Pool, Engine: ts.Srv.Reports, Dir: dir, Worker: "test",
		Now:    func() time.Time { return time.Date(2025, 2, 3, 6, 0, 0, 0, time.UTC) },
		Mailer: &schedule.Mailer{Addr: srv.Addr, Host: "127.0.0.1", From: "reports@test.local", TLS: srv.Client, Timeout: 10 * time.Second}}
	d := ts.Srv.Deps
	d.Schedules = svc
	ts.Srv = dashboards.New(d)
	return &ScheduleServer{Server: ts, SMTP: srv, Dir: dir}
}
