package crmcore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// AssignDeal changes a deal's responsible: directors and admins only. A
// caller who may not read the deal gets 404 before the 403.
func (s *Store) AssignDeal(ctx context.Context, p domain.Principal, id int64, in DealAssign) (Deal, error) {
	var d Deal
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := loadDealAccess(ctx, tx, p, id, true); err != nil {
			return err
		}
		if !p.CanReassign() {
			return apperr.New(apperr.Forbidden, "forbidden", "only a director reassigns deals")
		}
		var v check
		v.id("responsible_id", in.ResponsibleID, true)
		if v.Err != nil {
			return v.Err
		}
		refs := dealRefs{ctx: ctx, q: tx}
		if refs.user("responsible_id", in.ResponsibleID); refs.err != nil {
			return refs.err
		}
		const q = `UPDATE deals SET responsible_id = $2, updated_at = $3 WHERE id = $1`
		if _, err := tx.Exec(ctx, q, id, in.ResponsibleID, s.Now()); err != nil {
			return pgerr.Translate(err, "deal")
		}
		var err error
		d, err = s.getDeal(ctx, tx, p, id)
		return err
	})
	return d, err
}

// AddObserver lets a user read a deal. Whoever may change the deal may
// add observers; adding one twice is harmless. added is false when the
// user already observed the deal.
func (s *Store) AddObserver(ctx context.Context, p domain.Principal, id int64, in DealObserver) (d Deal, added bool, err error) {
	err = inTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.lockDealForWrite(ctx, tx, p, id); err != nil {
			return err
		}
		var v check
		v.id("user_id", in.UserID, true)
		if v.Err != nil {
			return v.Err
		}
		refs := dealRefs{ctx: ctx, q: tx}
		if refs.user("user_id", in.UserID); refs.err != nil {
			return refs.err
		}
		const q = `
INSERT INTO deal_observers (deal_id, user_id)
VALUES ($1, $2)
ON CONFLICT DO NOTHING`
		tag, err := tx.Exec(ctx, q, id, in.UserID)
		if err != nil {
			return pgerr.Translate(err, "observer")
		}
		added = tag.RowsAffected() == 1
		d, err = s.getDeal(ctx, tx, p, id)
		return err
	})
	return d, added, err
}

// DealHistory returns a deal's stage changes in order; 404 when p may not
// read the deal.
func (s *Store) DealHistory(ctx context.Context, p domain.Principal, id int64) ([]StageChange, error) {
	if _, err := loadDealAccess(ctx, s.db, p, id, false); err != nil {
		return nil, err
	}
	const q = `
SELECT fs.code,
       ts.code,
       fs.name,
       ts.name,
       c.changed_at,
       c.changed_by,
       u.name,
       c.reason
FROM stage_changes c
LEFT JOIN stages fs ON fs.id = c.from_stage_id
JOIN stages ts ON ts.id = c.to_stage_id
LEFT JOIN users u ON u.id = c.changed_by
WHERE c.deal_id = $1
ORDER BY c.changed_at, c.id`
	rows, err := s.db.Query(ctx, q, id)
	if err != nil {
		return nil, pgerr.Translate(err, "stage history")
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (StageChange, error) {
		var c StageChange
		err := r.Scan(&c.From, &c.To, &c.FromName, &c.ToName, &c.At, &c.By, &c.ByName, &c.Reason)
		return c, err
	})
}
