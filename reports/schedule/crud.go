package schedule

import (
	"context"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Create saves a valid schedule owned by p (analysts, directors, admins).
func (svc *Service) Create(ctx context.Context, p domain.Principal, in Input) (Schedule, error) {
	if !mayManage(p) {
		return Schedule{}, apperr.New(apperr.Forbidden, "forbidden", "only analysts, directors and admins schedule reports")
	}
	for _, req := range []struct {
		field   string
		missing bool
	}{{"name", in.Name == nil}, {"report_id", in.ReportID == nil}, {"cron", in.Cron == nil}, {"recipients", in.Recipients == nil}} {
		if req.missing {
			return Schedule{}, apperr.Field(req.field, "required", req.field+" is required")
		}
	}
	s := defaults()
	in.apply(&s)
	if err := svc.validate(ctx, p, &s); err != nil {
		return Schedule{}, err
	}
	if err := svc.checkMail(s, in, true); err != nil {
		return Schedule{}, err
	}
	const q = `INSERT INTO export_schedules (name, report_id, cron, timezone, period, recipients, per_recipient,
    working_days, delivery, format, lang, enabled, owner_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
RETURNING ` + scheduleCols
	out, err := scanSchedule(svc.PG.QueryRow(ctx, q, s.Name, s.ReportID, s.Cron, s.Timezone, s.Period, s.Recipients,
		s.PerRecipient, s.WorkingDays, s.Delivery, s.Format, s.Lang, s.Enabled, p.UserID, svc.now()))
	return out.withNext(svc.now()), storeErr(err)
}

// List is the schedules p sees (all for directors and admins, else own),
// newest first.
func (svc *Service) List(ctx context.Context, p domain.Principal) ([]Schedule, error) {
	const q = `SELECT ` + scheduleCols + ` FROM export_schedules WHERE owner_id = $1 OR $2 ORDER BY id DESC`
	rows, err := svc.PG.Query(ctx, q, p.UserID, seesEvery(p))
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	out := []Schedule{}
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			return nil, storeErr(err)
		}
		out = append(out, s.withNext(svc.now()))
	}
	return out, storeErr(rows.Err())
}

// Get is one schedule p sees; 404 otherwise (managers see none).
func (svc *Service) Get(ctx context.Context, p domain.Principal, id int64) (Schedule, error) {
	if !mayManage(p) {
		return Schedule{}, apperr.NotFoundf("schedule not found")
	}
	const q = `SELECT ` + scheduleCols + ` FROM export_schedules WHERE id = $1 AND (owner_id = $2 OR $3)`
	s, err := scanSchedule(svc.PG.QueryRow(ctx, q, id, p.UserID, seesEvery(p)))
	return s.withNext(svc.now()), storeErr(err)
}

// Update changes the fields in is; the result is validated as a whole
// with the owner's access.
func (svc *Service) Update(ctx context.Context, p domain.Principal, id int64, in Input) (Schedule, error) {
	s, err := svc.Get(ctx, p, id)
	if err != nil {
		return s, err
	}
	in.apply(&s)
	owner, err := svc.user(ctx, s.OwnerID)
	if err != nil {
		return s, err
	}
	if err := svc.validate(ctx, owner, &s); err != nil {
		return s, err
	}
	if err := svc.checkMail(s, in, false); err != nil {
		return s, err
	}
	const q = `UPDATE export_schedules SET name = $2, report_id = $3, cron = $4, timezone = $5, period = $6,
    recipients = $7, per_recipient = $8, working_days = $9, delivery = $10, format = $11, lang = $12,
    enabled = $13, updated_at = $14
WHERE id = $1
RETURNING ` + scheduleCols
	out, err := scanSchedule(svc.PG.QueryRow(ctx, q, id, s.Name, s.ReportID, s.Cron, s.Timezone, s.Period, s.Recipients,
		s.PerRecipient, s.WorkingDays, s.Delivery, s.Format, s.Lang, s.Enabled, svc.now()))
	return out.withNext(svc.now()), storeErr(err)
}

// Delete removes a schedule p sees, with its runs.
func (svc *Service) Delete(ctx context.Context, p domain.Principal, id int64) error {
	if _, err := svc.Get(ctx, p, id); err != nil {
		return err
	}
	_, err := svc.PG.Exec(ctx, `DELETE FROM export_schedules WHERE id = $1`, id)
	return storeErr(err)
}
