package docs

import (
	"context"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// Act is an acceptance act (акт выполненных работ) closing part or all
// of an order, in the order's currency, signed on a date (YYYY-MM-DD).
// Invariants: Amount > 0; Number is unique per order; the acts of an
// order add up to at most its amount. Who sees an act is who sees its
// order's deal.
type Act struct {
	ID        int64        `json:"id"`
	OrderID   int64        `json:"order_id"`
	Number    string       `json:"number"`
	Amount    domain.Money `json:"amount"`
	SignedAt  string       `json:"signed_at"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// NewAct is the input of CreateAct.
type NewAct struct {
	OrderID  int64        `json:"order_id"`
	Number   string       `json:"number"`
	Amount   domain.Money `json:"amount"`
	SignedAt string       `json:"signed_at"`
}

// ActFilter selects acts; a zero OrderID does not filter.
type ActFilter struct {
	OrderID int64
	Limit   int
	Offset  int
}

func (in NewAct) validate() error {
	var v crmcore.Check
	v.ID("order_id", in.OrderID, true)
	v.Text("number", in.Number, true, maxNumber)
	v.Amount("amount", in.Amount.Decimal, true)
	v.Date("signed_at", in.SignedAt, true)
	return v.Err
}

const actCols = `a.id, a.order_id, a.number, a.amount, to_char(a.signed_at, 'YYYY-MM-DD'), a.created_at, a.updated_at`

// actFrom joins each act to its order's deal, for crmcore.DealVisible.
const actFrom = `acts a JOIN orders o ON o.id = a.order_id JOIN deals d ON d.id = o.deal_id`

func scanAct(r pgx.Row) (Act, error) {
	var a Act
	err := r.Scan(&a.ID, &a.OrderID, &a.Number, &a.Amount, &a.SignedAt, &a.CreatedAt, &a.UpdatedAt)
	return a, err
}

// CreateAct records an act on an order whose deal the caller may change
// (404 when they cannot see it, 403 when they only read it). The order is
// locked, so concurrent acts cannot together pass its amount: an act
// that would is a 422 on amount.
func (s *Store) CreateAct(ctx context.Context, p domain.Principal, in NewAct) (Act, error) {
	if err := in.validate(); err != nil {
		return Act{}, err
	}
	var id int64
	err := crmcore.InTx(ctx, s.core.DB(), func(tx pgx.Tx) error {
		if err := lockOrderForAct(ctx, tx, p, in); err != nil {
			return err
		}
		const q = `
INSERT INTO acts (order_id, number, amount, signed_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
RETURNING id`
		err := tx.QueryRow(ctx, q, in.OrderID, strings.TrimSpace(in.Number), in.Amount, in.SignedAt, s.now()).Scan(&id)
		return pgerr.Translate(err, "act")
	})
	if err != nil {
		return Act{}, err
	}
	return s.GetAct(ctx, p, id)
}

// lockOrderForAct locks the act's order, checks p may change its deal
// (an order p cannot see is not found) and that the order's acts with
// this one stay within its amount.
func lockOrderForAct(ctx context.Context, tx pgx.Tx, p domain.Principal, in NewAct) error {
	var dealID int64
	var amount, acted domain.Money
	const lock = `SELECT deal_id, amount FROM orders WHERE id = $1 FOR UPDATE`
	if err := tx.QueryRow(ctx, lock, in.OrderID).Scan(&dealID, &amount); err != nil {
		return pgerr.Translate(err, "order")
	}
	err := crmcore.CheckDealIn(ctx, tx, p, dealID, true, false)
	if apperr.KindOf(err) == apperr.NotFound {
		return apperr.NotFoundf("order not found")
	}
	if err != nil {
		return err
	}
	// a statement of its own, after the lock: its snapshot holds every
	// act committed by a transaction that held the lock before
	const sum = `SELECT COALESCE(sum(amount), 0) FROM acts WHERE order_id = $1`
	if err := tx.QueryRow(ctx, sum, in.OrderID).Scan(&acted); err != nil {
		return pgerr.Translate(err, "acts")
	}
	if left := amount.Sub(acted.Decimal); in.Amount.GreaterThan(left) {
		return &apperr.Error{Kind: apperr.Invalid, Code: "act_over_order", Field: "amount",
			Message: "the act is larger than its order: " + left.StringFixed(2) + " of the order's amount is left to act",
			Details: map[string]any{"left": left.StringFixed(2)}}
	}
	return nil
}

// GetAct returns one act on a deal p may see (404 otherwise).
func (s *Store) GetAct(ctx context.Context, p domain.Principal, id int64) (Act, error) {
	return onVisibleDeal(ctx, s, p, actCols, actFrom, sq.Eq{"a.id": id}, scanAct, "act")
}

// ListActs returns a page of the acts on deals p may see, the latest
// signed first, and the number matching the filter.
func (s *Store) ListActs(ctx context.Context, p domain.Principal, f ActFilter) ([]Act, int, error) {
	var only sq.Sqlizer
	if f.OrderID != 0 {
		only = sq.Eq{"a.order_id": f.OrderID}
	}
	return listOnVisibleDeals(ctx, s, p, actCols, actFrom, only, "a.signed_at DESC, a.id DESC", f.Limit, f.Offset, scanAct, "acts")
}
