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

// Order is what a deal's client ordered: an amount in a currency, under a
// contract of the deal's company or none, and the deal's products when it
// was made (Items, a snapshot). Invariants: Amount > 0; Number is unique
// per deal and per contract; the acts of an order never add up to more
// than its amount (ActedAmount is their sum). Who sees an order is who
// sees its deal.
type Order struct {
	ID          int64        `json:"id"`
	DealID      int64        `json:"deal_id"`
	ContractID  *int64       `json:"contract_id"`
	Number      string       `json:"number"`
	Amount      domain.Money `json:"amount"`
	Currency    string       `json:"currency"`
	Items       []OrderItem  `json:"items"`
	ActedAmount domain.Money `json:"acted_amount"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// OrderItem is one of the deal's products as it stood when the order was
// made.
type OrderItem struct {
	ProductID int64        `json:"product_id"`
	Name      string       `json:"name"`
	Quantity  float64      `json:"quantity"`
	Price     domain.Money `json:"price"`
	Discount  float64      `json:"discount"`
}

// NewOrder is the input of CreateOrder.
type NewOrder struct {
	DealID     int64        `json:"deal_id"`
	ContractID *int64       `json:"contract_id,omitempty"`
	Number     string       `json:"number"`
	Amount     domain.Money `json:"amount"`
	Currency   string       `json:"currency"`
}

// OrderFilter selects orders; a zero DealID does not filter.
type OrderFilter struct {
	DealID int64
	Limit  int
	Offset int
}

func (in *NewOrder) validate() error {
	var v crmcore.Check
	v.ID("deal_id", in.DealID, true)
	if in.ContractID != nil {
		v.ID("contract_id", *in.ContractID, false)
		if *in.ContractID == 0 {
			in.ContractID = nil
		}
	}
	v.Text("number", in.Number, true, maxNumber)
	v.Amount("amount", in.Amount.Decimal, true)
	v.Currency("currency", in.Currency)
	return v.Err
}

const orderCols = `o.id, o.deal_id, o.contract_id, o.number, o.amount, o.currency, o.items,
       COALESCE((SELECT sum(a.amount) FROM acts a WHERE a.order_id = o.id), 0),
       o.created_at, o.updated_at`

// orderFrom joins each order to its deal, for crmcore.DealVisible.
const orderFrom = `orders o JOIN deals d ON d.id = o.deal_id`

func scanOrder(r pgx.Row) (Order, error) {
	var o Order
	err := r.Scan(&o.ID, &o.DealID, &o.ContractID, &o.Number, &o.Amount, &o.Currency, &o.Items,
		&o.ActedAmount, &o.CreatedAt, &o.UpdatedAt)
	return o, err
}

// CreateOrder records an order of a deal the caller may change (404 when
// they cannot see it, 403 when they only read it), copying the deal's
// products into Items. A contract must be one of the deal's company (422
// contract_id); the currency must be known (422 currency).
func (s *Store) CreateOrder(ctx context.Context, p domain.Principal, in NewOrder) (Order, error) {
	if err := in.validate(); err != nil {
		return Order{}, err
	}
	var id int64
	err := crmcore.InTx(ctx, s.core.DB(), func(tx pgx.Tx) error {
		if err := crmcore.CheckDealIn(ctx, tx, p, in.DealID, true, false); err != nil {
			return err
		}
		if err := crmcore.KnownCurrency(ctx, tx, "currency", in.Currency); err != nil {
			return err
		}
		if err := orderContract(ctx, tx, in); err != nil {
			return err
		}
		const q = `
INSERT INTO orders (deal_id, contract_id, number, amount, currency, items, created_at, updated_at)
SELECT $1, $2, $3, $4, $5,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('product_id', di.product_id, 'name', pr.name,
                     'quantity', di.quantity, 'price', di.price, 'discount', di.discount) ORDER BY di.id)
                 FROM deal_items di JOIN products pr ON pr.id = di.product_id
                 WHERE di.deal_id = $1), '[]'::jsonb),
       $6, $6
RETURNING id`
		err := tx.QueryRow(ctx, q, in.DealID, in.ContractID, strings.TrimSpace(in.Number), in.Amount, in.Currency, s.now()).Scan(&id)
		return pgerr.Translate(err, "order")
	})
	if err != nil {
		return Order{}, err
	}
	return s.GetOrder(ctx, p, id)
}

// orderContract checks the order's contract, when it names one: it
// exists and is with the deal's company (a deal without a company takes
// no contract).
func orderContract(ctx context.Context, tx pgx.Tx, in NewOrder) error {
	if in.ContractID == nil {
		return nil
	}
	var same bool
	const q = `
SELECT c.company_id IS NOT DISTINCT FROM (SELECT d.company_id FROM deals d WHERE d.id = $2)
FROM contracts c WHERE c.id = $1 FOR SHARE OF c`
	err := tx.QueryRow(ctx, q, *in.ContractID, in.DealID).Scan(&same)
	switch {
	case err == pgx.ErrNoRows:
		return apperr.Field("contract_id", "unknown_contract", "no such contract")
	case err != nil:
		return pgerr.Translate(err, "contract")
	case !same:
		return apperr.Field("contract_id", "contract_other_company", "the contract is with another company than the deal's")
	}
	return nil
}

// GetOrder returns one order of a deal p may see (404 otherwise).
func (s *Store) GetOrder(ctx context.Context, p domain.Principal, id int64) (Order, error) {
	return onVisibleDeal(ctx, s, p, orderCols, orderFrom, sq.Eq{"o.id": id}, scanOrder, "order")
}

// ListOrders returns a page of the orders of deals p may see, newest
// first, and the number matching the filter.
func (s *Store) ListOrders(ctx context.Context, p domain.Principal, f OrderFilter) ([]Order, int, error) {
	var only sq.Sqlizer
	if f.DealID != 0 {
		only = sq.Eq{"o.deal_id": f.DealID}
	}
	return listOnVisibleDeals(ctx, s, p, orderCols, orderFrom, only, "o.created_at DESC, o.id DESC", f.Limit, f.Offset, scanOrder, "orders")
}

// onVisibleDeal reads the one row of from (which joins the deal as d)
// matching which, when p may see its deal (404 otherwise).
func onVisibleDeal[T any](ctx context.Context, s *Store, p domain.Principal, cols, from string, which sq.Sqlizer, scan func(pgx.Row) (T, error), entity string) (T, error) {
	query, args, err := psql.Select(cols).From(from).Where(sq.And{which, crmcore.DealVisible(p, "d.id", "d.responsible_id")}).ToSql()
	if err != nil {
		var zero T
		return zero, err
	}
	row, err := scan(s.core.DB().QueryRow(ctx, query, args...))
	return row, pgerr.Translate(err, entity)
}

// listOnVisibleDeals is a page of the rows of from on deals p may see
// (only those matching only, when given), in order, and how many match.
func listOnVisibleDeals[T any](ctx context.Context, s *Store, p domain.Principal, cols, from string, only sq.Sqlizer, order string,
	limit, offset int, scan func(pgx.Row) (T, error), entity string) ([]T, int, error) {
	where := sq.And{crmcore.DealVisible(p, "d.id", "d.responsible_id")}
	if only != nil {
		where = append(where, only)
	}
	items, total, err := crmcore.ListRows(ctx, s.core.DB(), from, where, order, limit, offset, cols, scan)
	return items, total, pgerr.Translate(err, entity)
}
