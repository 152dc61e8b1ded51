package schedule

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
)

// The events of one recipient's check.
const (
	EventFired    = "fired"    // the condition became true: told
	EventReminded = "reminded" // still true remind_days after the last message: told again
	EventCleared  = "cleared"  // no longer true: told
	EventNone     = "none"     // no change worth a message
)

// AlertRun is one check of an alert: one scheduled instant (or a manual
// check), its attempts, and what each recipient's figure was.
type AlertRun struct {
	ID            int64        `json:"id"`
	AlertID       int64        `json:"alert_id"`
	ScheduledFor  time.Time    `json:"scheduled_for"`
	Trigger       string       `json:"trigger"`
	Status        string       `json:"status"`
	Attempts      int          `json:"attempts"`
	Error         string       `json:"error,omitempty"`
	NextAttemptAt *time.Time   `json:"next_attempt_at,omitempty"`
	StartedAt     time.Time    `json:"started_at"`
	FinishedAt    *time.Time   `json:"finished_at,omitempty"`
	Checks        []AlertCheck `json:"checks"`
}

// AlertCheck is one recipient's reading in a check.
type AlertCheck struct {
	UserID    int64     `json:"user_id"`
	Value     *float64  `json:"value"`    // the figure under their access; null: no such row
	Compared  *float64  `json:"compared"` // the previous period's, or the plan
	Holds     bool      `json:"holds"`
	Event     string    `json:"event"`
	Via       string    `json:"via,omitempty"`
	Target    string    `json:"target,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
}

func alertRunOf(r Run) AlertRun {
	return AlertRun{ID: r.ID, AlertID: r.ScheduleID, ScheduledFor: r.ScheduledFor, Trigger: r.Trigger, Status: r.Status,
		Attempts: r.Attempts, Error: r.Error, NextAttemptAt: r.NextAttemptAt, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt}
}

// alertWorkers is how many alerts a round checks at once (their reports
// then queue for the engine's run slots).
const alertWorkers = 4

// TickAlerts checks every enabled alert that owes a check, then takes the
// checks due for another attempt. Any number of processes may tick at
// once: each check is taken by one (alert_runs' unique key, as for
// exports). Within a round, alerts on the same report at the same
// instant for people who see the same rows share one run of it.
func (svc *Service) TickAlerts(ctx context.Context) error {
	ctx = withRound(ctx)
	defer func() {
		svc.roundMu.Lock()
		svc.lastRound = roundOf(ctx).stats()
		svc.roundMu.Unlock()
	}()
	rows, err := svc.PG.Query(ctx, `SELECT `+alertCols+` FROM alerts WHERE enabled ORDER BY id`)
	if err != nil {
		return err
	}
	due, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Alert, error) { return scanAlert(r) })
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	work := make(chan Alert)
	for range alertWorkers {
		wg.Go(func() {
			for a := range work {
				r, won, err := svc.owed(ctx, alertRuns, a.ID, a.Cron, a.Timezone, a.WorkingDays, a.CreatedAt)
				if err != nil {
					svc.log().Error("alert", "alert", a.ID, "err", err)
				}
				if won {
					svc.attemptAlert(ctx, r)
				}
			}
		})
	}
	for _, a := range due {
		work <- a
	}
	close(work)
	wg.Wait()
	for {
		r, ok, err := svc.takePending(ctx, alertRuns)
		if err != nil || !ok {
			return err
		}
		svc.attemptAlert(ctx, r)
	}
}

// CheckAlert checks an alert p sees at once (POST /alerts/{id}/check)
// and answers the check after its first attempt.
func (svc *Service) CheckAlert(ctx context.Context, p domain.Principal, id int64) (AlertRun, error) {
	if _, err := svc.Alert(ctx, p, id); err != nil {
		return AlertRun{}, err
	}
	r, err := svc.claimNow(ctx, alertRuns, id)
	if err != nil {
		return AlertRun{}, err
	}
	return svc.attemptAlert(ctx, r), nil
}

// attemptAlert executes a taken check and records the outcome.
func (svc *Service) attemptAlert(ctx context.Context, r Run) AlertRun {
	runErr := svc.checkAlertRun(ctx, r)
	if runErr != nil {
		svc.log().Warn("alert check failed", "run", r.ID, "alert", r.ScheduleID, "attempt", r.Attempts, "err", runErr)
	}
	out, err := svc.finish(ctx, alertRuns, r, runErr)
	if err != nil {
		svc.log().Error("record alert check", "run", r.ID, "err", err)
		return alertRunOf(r)
	}
	ar := alertRunOf(out)
	ar.Checks, _ = svc.checksOf(ctx, r.ID)
	return ar
}

// checkAlertRun reads the figure for each recipient not yet checked in
// this run, at the run's instant and under their own access, and tells
// them when their standing changed. A recipient's check, its message
// and their new standing are recorded together after the message went:
// a retry (a failed delivery, a process that died) serves only the rest,
// and reads the same instant.
func (svc *Service) checkAlertRun(ctx context.Context, r Run) error {
	a, err := scanAlert(svc.PG.QueryRow(ctx, `SELECT `+alertCols+` FROM alerts WHERE id = $1`, r.ScheduleID))
	if err != nil {
		return alertErr(err)
	}
	done := map[int64]bool{}
	checks, err := svc.checksOf(ctx, r.ID)
	if err != nil {
		return err
	}
	for _, c := range checks {
		done[c.UserID] = true
	}
	for _, uid := range a.Recipients {
		if done[uid] {
			continue
		}
		u, err := svc.user(ctx, uid)
		if err != nil {
			return fmt.Errorf("recipient %d: %w", uid, err)
		}
		f, err := svc.readFigure(ctx, &a, u, r.ScheduledFor)
		if err != nil {
			return fmt.Errorf("figure for %s: %w", u.Email, err)
		}
		st, err := svc.standing(ctx, a.ID, uid)
		if err != nil {
			return err
		}
		c := AlertCheck{UserID: uid, Value: floatOf(f.Value), Compared: floatOf(f.Compared), Holds: f.Holds,
			Event: event(a, st, f.Holds, r.ScheduledFor), CheckedAt: svc.now()}
		if c.Event != EventNone {
			msg := svc.alertMessage(a, u, f, st, c.Event, r.ScheduledFor)
			if c.Via, c.Target, err = svc.tell(ctx, a, u, msg); err != nil {
				return fmt.Errorf("tell %s: %w", u.Email, err)
			}
		}
		if err := svc.recordCheck(ctx, r, a, c, st, f.Value); err != nil {
			return err
		}
	}
	return nil
}

// standingOf is a recipient's standing before a check: whether the
// condition held for them and when they were last told (zero: never).
type standingOf struct {
	known bool
	holds bool
	told  time.Time
	value *decimal.Decimal
	since time.Time
}

func (svc *Service) standing(ctx context.Context, alertID, userID int64) (standingOf, error) {
	var st standingOf
	var told *time.Time
	var value *decimal.Decimal
	err := svc.PG.QueryRow(ctx, `SELECT holds, since, told_at, value FROM alert_states WHERE alert_id = $1 AND user_id = $2`,
		alertID, userID).Scan(&st.holds, &st.since, &told, &value)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, nil
	}
	st.known, st.value = err == nil, value
	if told != nil {
		st.told = *told
	}
	return st, err
}

// event is what a check means for a recipient: fired when the condition
// became true (or is true at the first check), cleared when it stopped
// holding, reminded when it still holds remind_days after the last
// message, else nothing.
func event(a Alert, st standingOf, holds bool, at time.Time) string {
	switch {
	case holds && !st.holds:
		return EventFired
	case !holds && st.holds:
		return EventCleared
	case holds && a.RemindDays > 0 && !st.told.IsZero() && !at.Before(st.told.AddDate(0, 0, a.RemindDays)):
		return EventReminded
	}
	return EventNone
}

// recordCheck writes a recipient's check and their new standing in one
// transaction.
func (svc *Service) recordCheck(ctx context.Context, r Run, a Alert, c AlertCheck, st standingOf, value *decimal.Decimal) error {
	return pgx.BeginFunc(ctx, svc.PG, func(tx pgx.Tx) error {
		const ins = `INSERT INTO alert_checks (run_id, user_id, value, compared, holds, event, via, target, checked_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
		if _, err := tx.Exec(ctx, ins, r.ID, c.UserID, c.Value, c.Compared, c.Holds, c.Event, c.Via, c.Target, c.CheckedAt); err != nil {
			return err
		}
		since := st.since
		if !st.known || st.holds != c.Holds {
			since = r.ScheduledFor
		}
		var told *time.Time
		if !st.told.IsZero() {
			told = &st.told
		}
		if c.Event != EventNone {
			told = &r.ScheduledFor
		}
		const up = `INSERT INTO alert_states (alert_id, user_id, holds, since, told_at, value) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (alert_id, user_id) DO UPDATE SET holds = $3, since = $4, told_at = $5, value = $6`
		_, err := tx.Exec(ctx, up, a.ID, c.UserID, c.Holds, since, told, value)
		return err
	})
}

func (svc *Service) checksOf(ctx context.Context, runID int64) ([]AlertCheck, error) {
	const q = `SELECT user_id, value::float8, compared::float8, holds, event, via, target, checked_at FROM alert_checks WHERE run_id = $1 ORDER BY checked_at, user_id`
	rows, err := svc.PG.Query(ctx, q, runID)
	if err != nil {
		return nil, alertErr(err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AlertCheck, error) {
		var c AlertCheck
		return c, r.Scan(&c.UserID, &c.Value, &c.Compared, &c.Holds, &c.Event, &c.Via, &c.Target, &c.CheckedAt)
	})
}

// AlertRuns lists an alert's checks, newest first (at most 100), with
// each recipient's reading; 404 for an alert p does not see.
func (svc *Service) AlertRuns(ctx context.Context, p domain.Principal, id int64) ([]AlertRun, error) {
	if _, err := svc.Alert(ctx, p, id); err != nil {
		return nil, err
	}
	rows, err := svc.PG.Query(ctx, `SELECT `+alertRuns.cols()+` FROM alert_runs WHERE alert_id = $1 ORDER BY scheduled_for DESC, id DESC LIMIT 100`, id)
	if err != nil {
		return nil, alertErr(err)
	}
	runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Run, error) { return scanRun(r) })
	if err != nil {
		return nil, alertErr(err)
	}
	out := make([]AlertRun, 0, len(runs))
	for _, r := range runs {
		ar := alertRunOf(r)
		if ar.Checks, err = svc.checksOf(ctx, r.ID); err != nil {
			return nil, err
		}
		out = append(out, ar)
	}
	return out, nil
}

func floatOf(d *decimal.Decimal) *float64 {
	if d == nil {
		return nil
	}
	f, _ := d.Float64()
	return &f
}
