package schedule

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

const alertCols = `id, name, report_id, measure, figure, unit, cell, condition, value::float8, cron, timezone, working_days,
recipients, coalesce(remind_days, 0), delivery, lang, enabled, owner_id, created_at, updated_at`

func scanAlert(r pgx.Row) (Alert, error) {
	var a Alert
	var cell []byte
	err := r.Scan(&a.ID, &a.Name, &a.ReportID, &a.Measure, &a.Figure, &a.Unit, &cell, &a.Condition, &a.Value, &a.Cron, &a.Timezone,
		&a.WorkingDays, &a.Recipients, &a.RemindDays, &a.Delivery, &a.Lang, &a.Enabled, &a.OwnerID, &a.CreatedAt, &a.UpdatedAt)
	if err == nil && len(cell) > 0 {
		err = json.Unmarshal(cell, &a.Cell)
	}
	return a, err
}

func alertErr(err error) error { return pgerr.Translate(err, "alert") }

// withNext fills NextCheckAt for an enabled alert.
func (a Alert) withNext(svc *Service) Alert {
	s := Schedule{Cron: a.Cron, Timezone: a.Timezone, Enabled: a.Enabled}.withNext(svc.now())
	a.NextCheckAt = s.NextRunAt
	return a
}

// remindDays is stored NULL for none.
func remindDays(a Alert) *int {
	if a.RemindDays <= 0 {
		return nil
	}
	return &a.RemindDays
}

// CreateAlert saves a valid alert owned by p (analysts, directors, admins).
func (svc *Service) CreateAlert(ctx context.Context, p domain.Principal, in AlertInput) (Alert, error) {
	if !mayManage(p) {
		return Alert{}, apperr.New(apperr.Forbidden, "forbidden", "only analysts, directors and admins set alerts")
	}
	for _, req := range []struct {
		field   string
		missing bool
	}{{"name", in.Name == nil}, {"report_id", in.ReportID == nil}, {"measure", in.Measure == nil},
		{"condition", in.Condition == nil}, {"value", in.Value == nil}, {"cron", in.Cron == nil}, {"recipients", in.Recipients == nil}} {
		if req.missing {
			return Alert{}, apperr.Field(req.field, "required", req.field+" is required")
		}
	}
	a := alertDefaults()
	in.apply(&a)
	if err := svc.validateAlert(ctx, p, &a); err != nil {
		return Alert{}, err
	}
	const q = `INSERT INTO alerts (name, report_id, measure, cell, condition, value, cron, timezone, working_days,
    recipients, remind_days, delivery, lang, enabled, owner_id, created_at, updated_at, figure, unit)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18)
RETURNING ` + alertCols
	out, err := scanAlert(svc.PG.QueryRow(ctx, q, a.Name, a.ReportID, a.Measure, cellJSON(a.Cell), a.Condition, a.Value,
		a.Cron, a.Timezone, a.WorkingDays, a.Recipients, remindDays(a), a.Delivery, a.Lang, a.Enabled, p.UserID, svc.now(), a.Figure, a.Unit))
	return out.withNext(svc), alertErr(err)
}

// Alerts lists the alerts p sees (all for directors and admins, else
// their own), newest first.
func (svc *Service) Alerts(ctx context.Context, p domain.Principal) ([]Alert, error) {
	if !mayManage(p) {
		return []Alert{}, nil
	}
	rows, err := svc.PG.Query(ctx, `SELECT `+alertCols+` FROM alerts WHERE owner_id = $1 OR $2 ORDER BY id DESC`, p.UserID, seesEvery(p))
	if err != nil {
		return nil, alertErr(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Alert, error) { return scanAlert(r) })
	for i := range out {
		out[i] = out[i].withNext(svc)
	}
	return out, alertErr(err)
}

// Alert is one alert p sees; 404 otherwise.
func (svc *Service) Alert(ctx context.Context, p domain.Principal, id int64) (Alert, error) {
	if !mayManage(p) {
		return Alert{}, apperr.NotFoundf("alert not found")
	}
	a, err := scanAlert(svc.PG.QueryRow(ctx, `SELECT `+alertCols+` FROM alerts WHERE id = $1 AND (owner_id = $2 OR $3)`, id, p.UserID, seesEvery(p)))
	return a.withNext(svc), alertErr(err)
}

// UpdateAlert changes the fields in is, validated as a whole with the
// owner's access. A changed condition, figure or value starts every
// recipient afresh (their standing was about the old one).
func (svc *Service) UpdateAlert(ctx context.Context, p domain.Principal, id int64, in AlertInput) (Alert, error) {
	a, err := svc.Alert(ctx, p, id)
	if err != nil {
		return a, err
	}
	in.apply(&a)
	owner, err := svc.user(ctx, a.OwnerID)
	if err != nil {
		return a, err
	}
	if err := svc.validateAlert(ctx, owner, &a); err != nil {
		return a, err
	}
	const q = `UPDATE alerts SET name = $2, report_id = $3, measure = $4, cell = $5, condition = $6, value = $7, cron = $8,
    timezone = $9, working_days = $10, recipients = $11, remind_days = $12, delivery = $13, lang = $14, enabled = $15, updated_at = $16,
    figure = $17, unit = $18
WHERE id = $1
RETURNING ` + alertCols
	var out Alert
	err = pgx.BeginFunc(ctx, svc.PG, func(tx pgx.Tx) error {
		out, err = scanAlert(tx.QueryRow(ctx, q, id, a.Name, a.ReportID, a.Measure, cellJSON(a.Cell), a.Condition, a.Value,
			a.Cron, a.Timezone, a.WorkingDays, a.Recipients, remindDays(a), a.Delivery, a.Lang, a.Enabled, svc.now(), a.Figure, a.Unit))
		if err != nil {
			return err
		}
		if in.ReportID != nil || in.Measure != nil || in.Cell != nil || in.Condition != nil || in.Value != nil {
			_, err = tx.Exec(ctx, `DELETE FROM alert_states WHERE alert_id = $1`, id)
		}
		return err
	})
	return out.withNext(svc), alertErr(err)
}

// DeleteAlert removes an alert p sees, with its checks.
func (svc *Service) DeleteAlert(ctx context.Context, p domain.Principal, id int64) error {
	if _, err := svc.Alert(ctx, p, id); err != nil {
		return err
	}
	_, err := svc.PG.Exec(ctx, `DELETE FROM alerts WHERE id = $1`, id)
	return alertErr(err)
}
