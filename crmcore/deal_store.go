package crmcore

import (
	"context"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// dealColumns are the columns scanDeal reads, over dealQuery's joins.
const dealColumns = `d.id,
       d.title,
       p.code,
       s.code,
       s.name,
       s.kind,
       s.probability,
       d.amount,
       d.currency,
       d.responsible_id,
       u.name,
       ARRAY(SELECT o.user_id FROM deal_observers o WHERE o.deal_id = d.id ORDER BY o.user_id),
       d.company_id,
       d.contact_id,
       d.source,
       d.lead_id,
       d.lost_reason,
       d.created_at,
       d.updated_at,
       d.closed_at,
       to_char(d.expected_close_at, 'YYYY-MM-DD'),
       d.forecast_category`

// dealQuery selects deals with their pipeline, stage and responsible.
// dealFrom joins each deal to the labels of its pipeline, stage and
// responsible.
const dealFrom = `deals d
JOIN pipelines p ON p.id = d.pipeline_id
JOIN stages s ON s.id = d.stage_id
JOIN users u ON u.id = d.responsible_id`

func dealQuery() sq.SelectBuilder { return psql.Select(dealColumns).From(dealFrom) }

func scanDeal(row pgx.Row) (Deal, error) {
	var d Deal
	err := row.Scan(&d.ID, &d.Title, &d.Pipeline, &d.Stage, &d.StageName, &d.StageKind, &d.Probability,
		&d.Amount, &d.Currency, &d.ResponsibleID, &d.ResponsibleName, &d.Observers,
		&d.CompanyID, &d.ContactID, &d.Source, &d.LeadID, &d.LostReason,
		&d.CreatedAt, &d.UpdatedAt, &d.ClosedAt, &d.ExpectedCloseAt, &d.ForecastCategory)
	if d.Observers == nil {
		d.Observers = []int64{}
	}
	d.ForecastCategoryAuto = domain.ForecastCategoryOf(d.Probability)
	return d, err
}

// GetDeal returns one deal; 404 when it does not exist or p may not read it.
func (s *Store) GetDeal(ctx context.Context, p domain.Principal, id int64) (Deal, error) {
	return s.getDeal(ctx, s.db, p, id)
}

func (s *Store) getDeal(ctx context.Context, q Querier, p domain.Principal, id int64) (Deal, error) {
	query, args, err := dealQuery().
		Where(sq.Eq{"d.id": id}).
		Where(DealVisible(p, "d.id", "d.responsible_id")).
		ToSql()
	if err != nil {
		return Deal{}, err
	}
	d, err := scanDeal(q.QueryRow(ctx, query, args...))
	return d, pgerr.Translate(err, "deal")
}

// CreateDeal opens a deal in the first stage of a deal pipeline and
// records the entry into that stage in the history, in one transaction.
// A manager creates deals only for themselves; analysts create none.
func (s *Store) CreateDeal(ctx context.Context, p domain.Principal, in NewDeal) (Deal, error) {
	if p.ReadOnly() {
		return Deal{}, ErrReadOnlyRole
	}
	if in.ResponsibleID == 0 {
		in.ResponsibleID = p.UserID
	}
	if err := in.validate(p, s.Now()); err != nil {
		return Deal{}, err
	}
	if p.Role == domain.RoleManager && in.ResponsibleID != p.UserID {
		return Deal{}, &apperr.Error{Kind: apperr.Forbidden, Code: "forbidden", Field: "responsible_id",
			Message: "a manager creates deals only for themselves"}
	}
	var d Deal
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		id, err := s.insertDeal(ctx, tx, p, in)
		if err != nil {
			return err
		}
		d, err = s.getDeal(ctx, tx, domain.System, id)
		return err
	})
	return d, err
}

// dealPipeline resolves a code to a deal pipeline; field names the input.
func (s *Store) dealPipeline(ctx context.Context, q Querier, code, field string) (*Pipeline, error) {
	pl, err := s.pipelineByCode(ctx, q, code, field)
	if err != nil {
		return nil, err
	}
	if pl.Entity != "deal" {
		return nil, apperr.Field(field, "not_deal_pipeline", "pipeline "+quote(code)+" holds leads, not deals")
	}
	return pl, nil
}

// insertDeal writes a validated deal and its first history row.
func (s *Store) insertDeal(ctx context.Context, tx pgx.Tx, p domain.Principal, in NewDeal) (int64, error) {
	pl, err := s.dealPipeline(ctx, tx, in.Pipeline, "pipeline")
	if err != nil {
		return 0, err
	}
	refs := dealRefs{ctx: ctx, q: tx}
	refs.user("responsible_id", in.ResponsibleID)
	refs.currency("currency", in.Currency)
	refs.source("source", in.Source)
	refs.company("company_id", in.CompanyID)
	refs.contact("contact_id", in.ContactID)
	if refs.err != nil {
		return 0, refs.err
	}
	at, first := s.changeTime(in.At), pl.First()
	var closed any
	if closesDeal(first.Kind) {
		closed = at
	}
	const q = `
INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, company_id,
                   contact_id, source, lead_id, created_by, created_at, updated_at, closed_at, expected_close_at,
                   forecast_category)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14::date, $15)
RETURNING id`
	var id int64
	err = tx.QueryRow(ctx, q, in.Title, pl.ID, first.ID, in.Amount.Decimal, in.Currency, in.ResponsibleID,
		in.CompanyID, in.ContactID, in.Source, in.leadID, Actor(p), at, closed, in.ExpectedCloseAt,
		in.ForecastCategory).Scan(&id)
	if err != nil {
		return 0, pgerr.Translate(err, "deal")
	}
	if err := logForecast(ctx, tx, id, p); err != nil {
		return 0, err
	}
	return id, insertStageChange(ctx, tx, id, pl.ID, nil, first.ID, at, p, nil)
}

// logForecast appends the deal's expected close date and forecast
// category to its forecast history when they differ from the history's
// last row (or there is none and either is set), at the deal's
// updated_at: the history then says what the forecast was at any past
// instant. Called in the transaction of every write of those columns.
func logForecast(ctx context.Context, tx pgx.Tx, dealID int64, p domain.Principal) error {
	const q = `
INSERT INTO deal_forecast_changes (deal_id, changed_at, changed_by, expected_close_at, forecast_category)
SELECT d.id, d.updated_at, $2, d.expected_close_at, d.forecast_category
FROM deals d
LEFT JOIN LATERAL (SELECT c.expected_close_at, c.forecast_category FROM deal_forecast_changes c
                   WHERE c.deal_id = d.id ORDER BY c.changed_at DESC, c.id DESC LIMIT 1) l ON true
WHERE d.id = $1
  AND CASE WHEN l IS NULL THEN d.expected_close_at IS NOT NULL OR d.forecast_category IS NOT NULL
           ELSE l.expected_close_at IS DISTINCT FROM d.expected_close_at
             OR l.forecast_category IS DISTINCT FROM d.forecast_category END`
	_, err := tx.Exec(ctx, q, dealID, Actor(p))
	return pgerr.Translate(err, "deal forecast")
}

// insertStageChange appends one row to a deal's stage history.
func insertStageChange(ctx context.Context, tx pgx.Tx, dealID, pipelineID int64, from *int64, to int64,
	at time.Time, p domain.Principal, reason *string) error {
	const q = `
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at, changed_by, reason)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	_, err := tx.Exec(ctx, q, dealID, pipelineID, from, to, at, Actor(p), reason)
	return pgerr.Translate(err, "stage change")
}
