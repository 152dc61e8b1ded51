package crmcore

import (
	"context"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// psql is squirrel configured for PostgreSQL placeholders ($1, $2, …).
var psql = sq.StatementBuilder.PlaceholderFormat(sq.Dollar)

// Querier is a pool or a transaction: what the stores read and write
// through. Helpers that take one work inside the caller's transaction
// when given a pgx.Tx (they never begin or end it).
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// DealVisible is the condition restricting deals to those p may read:
// all for every role but manager; for a manager, deals where they are
// responsible or an observer. idCol and respCol are column expressions
// from code (never from a request), e.g. "d.id", "d.responsible_id".
func DealVisible(p domain.Principal, idCol, respCol string) sq.Sqlizer {
	if p.SeesAll() {
		return sq.Expr("TRUE")
	}
	return sq.Or{
		sq.Eq{respCol: p.UserID},
		sq.Expr("EXISTS (SELECT 1 FROM deal_observers o WHERE o.deal_id = "+idCol+" AND o.user_id = ?)", p.UserID),
	}
}

// LeadVisible restricts leads to those p may read: a manager sees the
// leads they are responsible for.
func LeadVisible(p domain.Principal, respCol string) sq.Sqlizer {
	if p.SeesAll() {
		return sq.Expr("TRUE")
	}
	return sq.Eq{respCol: p.UserID}
}

// dealAccess is what p may do with one deal.
type dealAccess struct {
	Responsible int64
	Observer    bool
}

// loadDealAccess returns 404 when the deal does not exist or p may not
// read it, so a forbidden record is indistinguishable from an absent one.
// forUpdate locks the deal row for the rest of the transaction.
func loadDealAccess(ctx context.Context, q Querier, p domain.Principal, dealID int64, forUpdate bool) (dealAccess, error) {
	query := `
SELECT d.responsible_id,
       EXISTS (SELECT 1 FROM deal_observers o WHERE o.deal_id = d.id AND o.user_id = $2)
FROM deals d
WHERE d.id = $1`
	if forUpdate {
		query += " FOR UPDATE OF d"
	}
	var a dealAccess
	if err := q.QueryRow(ctx, query, dealID, p.UserID).Scan(&a.Responsible, &a.Observer); err != nil {
		return a, pgerr.Translate(err, "deal")
	}
	if !p.SeesAll() && a.Responsible != p.UserID && !a.Observer {
		return a, apperr.NotFoundf("deal not found")
	}
	return a, nil
}

// mayWriteDeal: admins and directors change any deal, a manager only the
// deals they are responsible for; observers and analysts read only.
func (a dealAccess) mayWrite(p domain.Principal) error {
	if p.CanWriteAll() || (p.Role == domain.RoleManager && a.Responsible == p.UserID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "read_only", "you may read this deal but not change it")
}

// CheckDealRead returns nil when p may read the deal, else 404.
func (s *Store) CheckDealRead(ctx context.Context, p domain.Principal, dealID int64) error {
	_, err := loadDealAccess(ctx, s.db, p, dealID, false)
	return err
}

// CheckDealWrite returns nil when p may change the deal; 404 when p may
// not even read it, 403 when p reads it only.
func (s *Store) CheckDealWrite(ctx context.Context, p domain.Principal, dealID int64) error {
	a, err := loadDealAccess(ctx, s.db, p, dealID, false)
	if err != nil {
		return err
	}
	return a.mayWrite(p)
}

// CheckDealIn is CheckDealRead (write false) or CheckDealWrite (write
// true) on q, the caller's transaction, for the core's subpackages (the
// documents of a deal): 404 when p cannot read the deal, 403 when p
// only reads it and asks to write. forUpdate locks the deal row (FOR
// UPDATE) for the rest of the transaction.
func CheckDealIn(ctx context.Context, q Querier, p domain.Principal, dealID int64, write, forUpdate bool) error {
	a, err := loadDealAccess(ctx, q, p, dealID, forUpdate)
	if err != nil || !write {
		return err
	}
	return a.mayWrite(p)
}
