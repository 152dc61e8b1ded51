package schedule

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// Holiday is a day of the working-days calendar: a "holiday" (a day off,
// weekday or not) or a "workday" (a weekend day worked in exchange).
type Holiday struct {
	Day  string `json:"day"` // 2026-01-09
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// Holidays lists the calendar's days of one year, in order.
func (svc *Service) Holidays(ctx context.Context, year int) ([]Holiday, error) {
	const q = `SELECT day::text, kind, name FROM holidays
WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1)
ORDER BY day`
	rows, err := svc.PG.Query(ctx, q, year)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Holiday, error) {
		var h Holiday
		return h, r.Scan(&h.Day, &h.Kind, &h.Name)
	})
}

// SetHoliday adds or replaces a day of the calendar (directors, admins).
func (svc *Service) SetHoliday(ctx context.Context, p domain.Principal, h Holiday) (Holiday, error) {
	if !seesEvery(p) {
		return h, apperr.New(apperr.Forbidden, "forbidden", "only directors and admins edit the calendar")
	}
	if _, err := time.Parse(time.DateOnly, h.Day); err != nil {
		return h, apperr.Field("day", "invalid_date", "want a date such as 2026-01-09")
	}
	if err := checkChoice("kind", h.Kind, "holiday", "workday"); err != nil {
		return h, err
	}
	if err := domain.CheckName("day", h.Name); err != nil {
		return h, err
	}
	const q = `INSERT INTO holidays (day, kind, name) VALUES ($1, $2, $3)
ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`
	_, err := svc.PG.Exec(ctx, q, h.Day, h.Kind, h.Name)
	return h, pgerr.Translate(err, "day")
}

// DeleteHoliday removes a day of the calendar; 404 when it is not there.
func (svc *Service) DeleteHoliday(ctx context.Context, p domain.Principal, day string) error {
	if !seesEvery(p) {
		return apperr.New(apperr.Forbidden, "forbidden", "only directors and admins edit the calendar")
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return apperr.NotFoundf("no such day in the calendar")
	}
	tag, err := svc.PG.Exec(ctx, `DELETE FROM holidays WHERE day = $1`, day)
	if err == nil && tag.RowsAffected() == 0 {
		return apperr.NotFoundf("no such day in the calendar")
	}
	return err
}

// WorkingDay reports whether the date of t (in t's location) is a working
// day: Monday to Friday unless a holiday, or a weekend day listed as a
// workday.
func (svc *Service) WorkingDay(ctx context.Context, t time.Time) (bool, error) {
	var kind string
	err := svc.PG.QueryRow(ctx, `SELECT kind FROM holidays WHERE day = $1`, t.Format(time.DateOnly)).Scan(&kind)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday, nil
	case err != nil:
		return false, err
	}
	return kind == "workday", nil
}
