package crmcore

import (
	"context"
	"errors"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

const productCols = `id, name, sku, price, currency, active, created_at`

func scanProduct(r pgx.Row) (Product, error) {
	var x Product
	err := r.Scan(&x.ID, &x.Name, &x.SKU, &x.Price, &x.Currency, &x.Active, &x.CreatedAt)
	return x, err
}

// ListProducts returns a page of the price list by name; every signed-in
// user reads it.
func (s *Store) ListProducts(ctx context.Context, p domain.Principal, f ProductFilter) ([]Product, int, error) {
	if err := checkSearch(f.Q); err != nil {
		return nil, 0, err
	}
	where := sq.And{}
	if f.Q != "" {
		where = append(where, sq.Expr("(name ILIKE ? OR sku ILIKE ?)", likePattern(f.Q), likePattern(f.Q)))
	}
	items, total, err := listRows(ctx, s.db, "products", where, "name, id", f.Limit, f.Offset, productCols, scanProduct)
	return items, total, pgerr.Translate(err, "products")
}

// CreateProduct adds a product to the price list (admins and directors).
func (s *Store) CreateProduct(ctx context.Context, p domain.Principal, in NewProduct) (Product, error) {
	if !p.CanWriteAll() {
		return Product{}, apperr.New(apperr.Forbidden, "forbidden", "only an admin or a director edits the price list")
	}
	if err := in.Validate(); err != nil {
		return Product{}, err
	}
	if err := knownCurrency(ctx, s.db, "currency", in.Currency); err != nil {
		return Product{}, err
	}
	const q = `
INSERT INTO products (name, sku, price, currency, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING ` + productCols
	x, err := writeRow(ctx, s.db, scanProduct, q, in.Name, NullText(in.SKU), in.Price, in.Currency, s.Now())
	return x, pgerr.Translate(err, "product")
}

const dealItemCols = `di.id, di.deal_id, di.product_id, pr.name, di.quantity, di.price, di.discount,
       round(di.quantity * di.price * (100 - di.discount) / 100, 2)`

func scanDealItem(r pgx.Row) (DealItem, error) {
	var x DealItem
	err := r.Scan(&x.ID, &x.DealID, &x.ProductID, &x.ProductName, &x.Quantity, &x.Price, &x.Discount, &x.Total)
	return x, err
}

// AddDealItem adds a product line to a deal p may change (404 when p
// cannot see it, 403 when p only reads it). The product must be active.
func (s *Store) AddDealItem(ctx context.Context, p domain.Principal, dealID int64, in NewDealItem) (DealItem, error) {
	if err := in.Validate(); err != nil {
		return DealItem{}, err
	}
	if err := s.CheckDealWrite(ctx, p, dealID); err != nil {
		return DealItem{}, err
	}
	var price domain.Money
	var active bool
	err := s.db.QueryRow(ctx, `SELECT price, active FROM products WHERE id = $1`, in.ProductID).Scan(&price, &active)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || (err == nil && !active):
		return DealItem{}, apperr.Field("product_id", "unknown_product", "no active product with this id")
	case err != nil:
		return DealItem{}, err
	case in.Price != nil:
		price = *in.Price
	}
	discount := 0.0
	if in.Discount != nil {
		discount = *in.Discount
	}
	const q = `
WITH di AS (
    INSERT INTO deal_items (deal_id, product_id, quantity, price, discount)
    VALUES ($1, $2, $3, $4, $5)
    RETURNING *)
SELECT ` + dealItemCols + `
FROM di JOIN products pr ON pr.id = di.product_id`
	x, err := writeRow(ctx, s.db, scanDealItem, q, dealID, in.ProductID, in.Quantity, price, discount)
	return x, pgerr.Translate(err, "deal item")
}

// DealItems lists the product lines of a deal p may see (404 otherwise).
func (s *Store) DealItems(ctx context.Context, p domain.Principal, dealID int64) ([]DealItem, error) {
	if err := s.CheckDealRead(ctx, p, dealID); err != nil {
		return nil, err
	}
	const q = `
SELECT ` + dealItemCols + `
FROM deal_items di
JOIN products pr ON pr.id = di.product_id
WHERE di.deal_id = $1
ORDER BY di.id`
	rows, err := s.db.Query(ctx, q, dealID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DealItem, error) { return scanDealItem(r) })
}
