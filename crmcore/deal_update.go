package crmcore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/pgerr"
)

// UpdateDeal changes the plain fields of a deal p may write.
func (s *Store) UpdateDeal(ctx context.Context, p domain.Principal, id int64, in DealPatch) (Deal, error) {
	var d Deal
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.lockDealForWrite(ctx, tx, p, id); err != nil {
			return err
		}
		if err := in.validate(); err != nil {
			return err
		}
		if err := applyDealPatch(ctx, tx, id, in, s.Now()); err != nil {
			return err
		}
		if err := logForecast(ctx, tx, id, p); err != nil {
			return err
		}
		var err error
		d, err = s.getDeal(ctx, tx, p, id)
		return err
	})
	return d, err
}

// lockDealForWrite locks the deal row: 404 when p may not read it, 403
// when p reads it only (observer, analyst).
func (s *Store) lockDealForWrite(ctx context.Context, tx pgx.Tx, p domain.Principal, id int64) error {
	a, err := loadDealAccess(ctx, tx, p, id, true)
	if err != nil {
		return err
	}
	return a.mayWrite(p)
}

// applyDealPatch checks a patch's references and writes it: an
// expected_close_at or forecast_category of "" clears it, none leaves it.
func applyDealPatch(ctx context.Context, tx pgx.Tx, id int64, in DealPatch, now time.Time) error {
	refs := dealRefs{ctx: ctx, q: tx}
	if in.Currency != nil {
		refs.currency("currency", *in.Currency)
	}
	refs.source("source", in.Source)
	refs.company("company_id", in.CompanyID)
	refs.contact("contact_id", in.ContactID)
	if refs.err != nil {
		return refs.err
	}
	var amount any
	if in.Amount != nil {
		amount = in.Amount.Decimal
	}
	const q = `
UPDATE deals
SET title      = COALESCE($2, title),
    amount     = COALESCE($3, amount),
    currency   = COALESCE($4, currency),
    company_id = COALESCE($5, company_id),
    contact_id = COALESCE($6, contact_id),
    source     = COALESCE($7, source),
    updated_at = $8,
    expected_close_at = CASE WHEN $9::text IS NULL THEN expected_close_at
                             ELSE NULLIF($9::text, '')::date END,
    forecast_category = CASE WHEN $10::text IS NULL THEN forecast_category
                             ELSE NULLIF($10::text, '') END
WHERE id = $1`
	_, err := tx.Exec(ctx, q, id, in.Title, amount, in.Currency, in.CompanyID, in.ContactID, in.Source, now,
		in.ExpectedCloseAt, in.ForecastCategory)
	return pgerr.Translate(err, "deal")
}
