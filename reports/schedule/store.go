package schedule

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

// Service is schedules, their runs, the holiday calendar and delivery
// over one PostgreSQL database. Mailer nil means no SMTP: "auto"
// schedules write to Dir. Now, Backoff, MaxAttempts and Lease have
// defaults (time.Now, one minute doubling, four attempts, 15 minutes).
type Service struct {
	PG          *pgxpool.Pool
	Engine      *engine.Engine
	Mailer      *Mailer
	Dir         string // VORONKA_EXPORT_DIR
	BaseURL     string // VORONKA_PUBLIC_URL: the links a digest's message gives ("" relative ones)
	Worker      string // this process, recorded on the runs it takes
	Now         func() time.Time
	Backoff     time.Duration
	MaxAttempts int
	Lease       time.Duration
	Log         *slog.Logger
}

// library is the reports a schedule may name: the standard catalog and
// the saved reports, in the service's database.
func (svc *Service) library() *saved.Store {
	return &saved.Store{PG: svc.PG, Now: svc.now}
}

func (svc *Service) now() time.Time {
	if svc.Now != nil {
		return svc.Now()
	}
	return time.Now()
}

func (svc *Service) log() *slog.Logger {
	if svc.Log != nil {
		return svc.Log
	}
	return slog.Default()
}

// mayManage: analysts, directors and admins schedule reports.
func mayManage(p domain.Principal) bool { return saved.MayBuild(p) }

// seesEvery: directors and admins see every schedule; others their own.
func seesEvery(p domain.Principal) bool {
	return p.Role == domain.RoleDirector || p.Role == domain.RoleAdmin
}

const scheduleCols = `id, name, report_id, cron, timezone, period, recipients, per_recipient, working_days,
delivery, format, lang, enabled, owner_id, created_at, updated_at`

func scanSchedule(r pgx.Row) (Schedule, error) {
	var s Schedule
	err := r.Scan(&s.ID, &s.Name, &s.ReportID, &s.Cron, &s.Timezone, &s.Period, &s.Recipients, &s.PerRecipient,
		&s.WorkingDays, &s.Delivery, &s.Format, &s.Lang, &s.Enabled, &s.OwnerID, &s.CreatedAt, &s.UpdatedAt)
	return s, err
}

// storeErr translates driver errors: no rows is a 404.
func storeErr(err error) error { return pgerr.Translate(err, "schedule") }

// withNext fills NextRunAt for an enabled schedule.
func (s Schedule) withNext(now time.Time) Schedule {
	if !s.Enabled {
		return s
	}
	if loc, err := location(s.Timezone); err == nil {
		if sc, err := spec(s.Cron, loc); err == nil {
			if n, ok := nextRun(sc, now); ok {
				s.NextRunAt = &n
			}
		}
	}
	return s
}

// user is an active user as a principal; 404 otherwise.
func (svc *Service) user(ctx context.Context, id int64) (domain.Principal, error) {
	const q = `SELECT id, name, email, role FROM users WHERE id = $1 AND active`
	var p domain.Principal
	err := svc.PG.QueryRow(ctx, q, id).Scan(&p.UserID, &p.Name, &p.Email, &p.Role)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, apperr.NotFoundf("user not found")
	}
	return p, err
}
