package schedule

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// catchUpAfter: a run taken this long after its instant is a catch-up
// (Voronka was down, or the scheduler behind).
const catchUpAfter = 2 * time.Minute

// Loop runs the scheduler until ctx ends: a tick at once (the catch-up
// of runs missed while down), then one every interval; each tick runs the
// exports owed, then the alert checks.
func (svc *Service) Loop(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := svc.Tick(ctx); err != nil && ctx.Err() == nil {
			svc.log().Error("scheduler tick", "err", err)
		}
		if err := svc.TickAlerts(ctx); err != nil && ctx.Err() == nil {
			svc.log().Error("alert tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Tick fires every enabled schedule that owes a run, then takes the runs
// due for another attempt. Any number of processes may tick at once:
// each run is taken by one.
func (svc *Service) Tick(ctx context.Context) error {
	const q = `SELECT ` + scheduleCols + ` FROM export_schedules WHERE enabled ORDER BY id`
	rows, err := svc.PG.Query(ctx, q)
	if err != nil {
		return err
	}
	var due []Schedule
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			rows.Close()
			return err
		}
		due = append(due, s)
	}
	rows.Close()
	for _, s := range due {
		if err := svc.fire(ctx, s); err != nil {
			svc.log().Error("schedule", "schedule", s.ID, "err", err)
		}
	}
	for {
		r, ok, err := svc.takePending(ctx, exportRuns)
		if err != nil || !ok {
			return err
		}
		svc.attempt(ctx, r)
	}
}

// fire runs the latest occurrence of s after its last run (or its
// creation) up to now, once; on a day off, a working-days schedule
// records the run as skipped instead.
func (svc *Service) fire(ctx context.Context, s Schedule) error {
	r, won, err := svc.owed(ctx, exportRuns, s.ID, s.Cron, s.Timezone, s.WorkingDays, s.CreatedAt)
	if err != nil || !won {
		return err
	}
	svc.attempt(ctx, r)
	return nil
}

// owed claims the run a cron expression owes at now for the row id of t
// (a schedule, an alert): the latest occurrence after its last run (or
// its creation, created), once however many processes ask. On a day off
// a working-days one records the run as skipped and wins nothing.
func (svc *Service) owed(ctx context.Context, t runTable, id int64, cronExpr, tz string, workingDays bool, created time.Time) (Run, bool, error) {
	loc, err := location(tz)
	if err != nil {
		return Run{}, false, err
	}
	sc, err := spec(cronExpr, loc)
	if err != nil {
		return Run{}, false, err
	}
	var last time.Time
	q := `SELECT coalesce(max(scheduled_for), $2) FROM ` + t.table + ` WHERE ` + t.key + ` = $1 AND trigger <> 'manual'`
	if err := svc.PG.QueryRow(ctx, q, id, created).Scan(&last); err != nil {
		return Run{}, false, err
	}
	now := svc.now()
	at, ok := latestDue(sc, last, now)
	if !ok {
		return Run{}, false, nil
	}
	trigger := map[bool]string{true: "catch_up", false: "cron"}[now.Sub(at) > catchUpAfter]
	if workingDays {
		working, err := svc.WorkingDay(ctx, at.In(loc))
		if err != nil || !working {
			_, _, cerr := svc.claim(ctx, t, id, at, trigger, "skipped")
			return Run{}, false, errors.Join(err, cerr)
		}
	}
	return svc.claim(ctx, t, id, at, trigger, "running")
}

// RunNow runs a schedule p sees at once (POST /schedules/{id}/run) and
// answers the run after its first attempt; a failed attempt is retried
// by the scheduler like any other.
func (svc *Service) RunNow(ctx context.Context, p domain.Principal, id int64) (Run, error) {
	if _, err := svc.Get(ctx, p, id); err != nil {
		return Run{}, err
	}
	r, err := svc.claimNow(ctx, exportRuns, id)
	if err != nil {
		return Run{}, err
	}
	return svc.attempt(ctx, r), nil
}

// claimNow claims a manual run of row id of t at now.
func (svc *Service) claimNow(ctx context.Context, t runTable, id int64) (Run, error) {
	at := svc.now()
	for range 10 { // the instant is the key: step past a run at the same microsecond
		r, won, err := svc.claim(ctx, t, id, at, "manual", "running")
		if err != nil || won {
			return r, err
		}
		at = at.Add(time.Microsecond)
	}
	return Run{}, apperr.New(apperr.Conflict, "run_exists", "a run was just started")
}

// attempt executes a taken run and records the outcome.
func (svc *Service) attempt(ctx context.Context, r Run) Run {
	runErr := svc.execute(ctx, r)
	if runErr != nil {
		svc.log().Warn("export run failed", "run", r.ID, "schedule", r.ScheduleID, "attempt", r.Attempts, "err", runErr)
	}
	out, err := svc.finish(ctx, exportRuns, r, runErr)
	if err != nil {
		svc.log().Error("record export run", "run", r.ID, "err", err)
		return r
	}
	out.Deliveries, _ = svc.sentOf(ctx, r.ID)
	return out
}

// execute delivers the run to each recipient not yet served: the report
// read with the recipient's access (or the owner's, for a shared file),
// its period resolved at the scheduled instant.
func (svc *Service) execute(ctx context.Context, r Run) error {
	j, err := svc.prepare(ctx, r)
	if err != nil {
		return err
	}
	done, err := svc.delivered(ctx, r.ID)
	if err != nil {
		return err
	}
	var shared *file
	defer func() { removeFile(shared) }()
	for _, uid := range j.sch.Recipients {
		if done[uid] {
			continue
		}
		u, err := svc.user(ctx, uid)
		if err != nil {
			return fmt.Errorf("recipient %d: %w", uid, err)
		}
		uj := j
		if j.digest() {
			if uj, err = svc.staleDigest(ctx, j, u); err != nil {
				return err
			}
			if uj == nil { // nothing stale, nothing to tell
				continue
			}
		}
		f := shared
		if f == nil || j.sch.PerRecipient {
			who := map[bool]domain.Principal{true: u, false: j.owner}[j.sch.PerRecipient]
			if f, err = svc.render(ctx, uj, who); err != nil {
				return err
			}
			if !j.sch.PerRecipient {
				shared = f
			}
		}
		sent, err := svc.deliver(ctx, uj, u, f)
		if f != shared {
			removeFile(f)
		}
		if err != nil {
			return fmt.Errorf("deliver to %s: %w", u.Email, err)
		}
		if err := svc.record(ctx, r.ID, sent); err != nil {
			return err
		}
	}
	return nil
}

// prepare loads the run's schedule, owner and report definition, with
// the period override and an engine whose clock is the run's instant.
func (svc *Service) prepare(ctx context.Context, r Run) (*job, error) {
	s, err := scanSchedule(svc.PG.QueryRow(ctx, `SELECT `+scheduleCols+` FROM export_schedules WHERE id = $1`, r.ScheduleID))
	if err != nil {
		return nil, storeErr(err)
	}
	owner, err := svc.user(ctx, s.OwnerID)
	if err != nil {
		return nil, fmt.Errorf("schedule owner %d: %w", s.OwnerID, err)
	}
	eng := svc.Engine.Clone()
	at := r.ScheduledFor
	eng.Now = func() time.Time { return at }
	entry, def, err := svc.library().Definition(ctx, owner, s.ReportID, "", "")
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", s.ReportID, err)
	}
	if s.Period != "" {
		per := reports.Period{Preset: preset(s.Period)}
		if def.Period != nil {
			per.Field, per.TZ = def.Period.Field, def.Period.TZ
		}
		def.Period = &per
	}
	def.Lang = s.Lang
	name := i18n.T(entry.Name, entry.NameEN).In(s.Lang)
	return &job{sch: s, run: r, name: name, def: def, eng: eng, owner: owner}, nil
}

func removeFile(f *file) {
	if f != nil {
		_ = os.Remove(f.Path)
	}
}
