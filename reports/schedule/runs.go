package schedule

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
)

// runTable is where a kind of run is kept: export runs by schedule,
// alert checks by alert (the same columns, the same exactly-once rules).
type runTable struct{ table, key string }

var (
	exportRuns = runTable{"export_runs", "schedule_id"}
	alertRuns  = runTable{"alert_runs", "alert_id"}
)

// cols is the columns scanRun reads (the key as the run's ScheduleID).
func (t runTable) cols() string {
	return `id, ` + t.key + `, scheduled_for, trigger, status, attempts, error, next_attempt_at, worker, started_at, finished_at`
}

var runCols = exportRuns.cols()

func scanRun(r pgx.Row) (Run, error) {
	var x Run
	err := r.Scan(&x.ID, &x.ScheduleID, &x.ScheduledFor, &x.Trigger, &x.Status, &x.Attempts, &x.Error,
		&x.NextAttemptAt, &x.Worker, &x.StartedAt, &x.FinishedAt)
	return x, err
}

// claim inserts the run of (schedule, instant) in status, unless one
// exists: the unique key makes exactly one process win. ok is false for
// the losers.
func (svc *Service) claim(ctx context.Context, t runTable, scheduleID int64, at time.Time, trigger, status string) (Run, bool, error) {
	q := `INSERT INTO ` + t.table + ` (` + t.key + `, scheduled_for, trigger, status, attempts, lease_until, worker, started_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (` + t.key + `, scheduled_for) DO NOTHING
RETURNING ` + t.cols()
	attempts := map[bool]int{true: 1, false: 0}[status == "running"]
	now := svc.now()
	r, err := scanRun(svc.PG.QueryRow(ctx, q, scheduleID, at, trigger, status, attempts, now.Add(svc.lease()), svc.Worker, now))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// takePending takes one run due for another attempt: retrying and due,
// or running with its lease gone (its process died). Row locks with SKIP
// LOCKED let several schedulers share the work without taking one run
// twice.
func (svc *Service) takePending(ctx context.Context, t runTable) (Run, bool, error) {
	now := svc.now()
	q := `UPDATE ` + t.table + ` SET status = 'running', attempts = attempts + 1, lease_until = $2, worker = $3
WHERE id = (
    SELECT id FROM ` + t.table + `
    WHERE (status = 'retrying' AND next_attempt_at <= $1) OR (status = 'running' AND lease_until < $1)
    ORDER BY id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING ` + t.cols()
	r, err := scanRun(svc.PG.QueryRow(ctx, q, now, now.Add(svc.lease()), svc.Worker))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, err
}

// finish records an attempt's outcome: succeeded, or retrying after a
// backoff that doubles with each attempt, or failed after the last.
func (svc *Service) finish(ctx context.Context, t runTable, r Run, runErr error) (Run, error) {
	now := svc.now()
	q := `UPDATE ` + t.table + ` SET status = $2, error = $3, next_attempt_at = $4, finished_at = $5, lease_until = NULL
WHERE id = $1
RETURNING ` + t.cols()
	status, msg := "succeeded", ""
	var next, done *time.Time
	switch {
	case runErr == nil:
		done = &now
	case r.Attempts < svc.maxAttempts():
		status, msg = "retrying", runErr.Error()
		t := now.Add(svc.backoff() << max(r.Attempts-1, 0))
		next = &t
	default:
		status, msg, done = "failed", runErr.Error(), &now
	}
	return scanRun(svc.PG.QueryRow(ctx, q, r.ID, status, msg, next, done))
}

// delivered is the recipients a run has already served.
func (svc *Service) delivered(ctx context.Context, runID int64) (map[int64]bool, error) {
	rows, err := svc.PG.Query(ctx, `SELECT user_id FROM export_deliveries WHERE run_id = $1`, runID)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// record notes a delivery.
func (svc *Service) record(ctx context.Context, runID int64, s Sent) error {
	const q = `INSERT INTO export_deliveries (run_id, user_id, via, target, file_name, rows, bytes, delivered_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	_, err := svc.PG.Exec(ctx, q, runID, s.UserID, s.Via, s.Target, s.FileName, s.Rows, s.Bytes, s.DeliveredAt)
	return err
}

// Runs lists a schedule's runs, newest first (at most 100), with their
// deliveries; 404 for a schedule p does not see.
func (svc *Service) Runs(ctx context.Context, p domain.Principal, scheduleID int64) ([]Run, error) {
	if _, err := svc.Get(ctx, p, scheduleID); err != nil {
		return nil, err
	}
	rows, err := svc.PG.Query(ctx, `SELECT `+runCols+` FROM export_runs WHERE schedule_id = $1 ORDER BY scheduled_for DESC, id DESC LIMIT 100`, scheduleID)
	if err != nil {
		return nil, storeErr(err)
	}
	runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Run, error) { return scanRun(r) })
	if err != nil {
		return nil, storeErr(err)
	}
	for i := range runs {
		if runs[i].Deliveries, err = svc.sentOf(ctx, runs[i].ID); err != nil {
			return nil, err
		}
	}
	return runs, nil
}

func (svc *Service) sentOf(ctx context.Context, runID int64) ([]Sent, error) {
	const q = `SELECT user_id, via, target, file_name, rows, bytes, delivered_at FROM export_deliveries WHERE run_id = $1 ORDER BY delivered_at, user_id`
	rows, err := svc.PG.Query(ctx, q, runID)
	if err != nil {
		return nil, storeErr(err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Sent, error) {
		var s Sent
		return s, r.Scan(&s.UserID, &s.Via, &s.Target, &s.FileName, &s.Rows, &s.Bytes, &s.DeliveredAt)
	})
}

func (svc *Service) lease() time.Duration {
	if svc.Lease > 0 {
		return svc.Lease
	}
	return 15 * time.Minute
}

func (svc *Service) backoff() time.Duration {
	if svc.Backoff > 0 {
		return svc.Backoff
	}
	return time.Minute
}

func (svc *Service) maxAttempts() int {
	if svc.MaxAttempts > 0 {
		return svc.MaxAttempts
	}
	return 4
}
