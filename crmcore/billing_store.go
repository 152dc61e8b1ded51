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

const invoiceCols = `i.id, i.deal_id, i.order_id, i.number, i.amount, i.currency, i.status, i.issued_at, i.due_at,
       COALESCE((SELECT sum(pm.amount) FROM payments pm WHERE pm.invoice_id = i.id AND pm.status = 'paid'), 0),
       i.created_at, i.updated_at`

// invoiceFrom joins each invoice to its deal, for DealVisible.
const invoiceFrom = `invoices i JOIN deals d ON d.id = i.deal_id`

func scanInvoice(r pgx.Row) (Invoice, error) {
	var i Invoice
	err := r.Scan(&i.ID, &i.DealID, &i.OrderID, &i.Number, &i.Amount, &i.Currency, &i.Status, &i.IssuedAt, &i.DueAt,
		&i.PaidAmount, &i.CreatedAt, &i.UpdatedAt)
	return i, err
}

// CreateInvoice bills a deal the caller may change (404 when they cannot
// see it, 403 when they only read it). Numbers are unique (409).
func (s *Store) CreateInvoice(ctx context.Context, p domain.Principal, in NewInvoice) (Invoice, error) {
	if err := in.validate(); err != nil {
		return Invoice{}, err
	}
	if err := knownCurrency(ctx, s.db, "currency", in.Currency); err != nil {
		return Invoice{}, err
	}
	var id int64
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		a, err := loadDealAccess(ctx, tx, p, in.DealID, false)
		if err != nil {
			return err
		}
		if err := a.mayWrite(p); err != nil {
			return err
		}
		if err := invoiceOrder(ctx, tx, in); err != nil {
			return err
		}
		const q = `
INSERT INTO invoices (deal_id, number, amount, currency, status, issued_at, due_at, created_at, updated_at, order_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)
RETURNING id`
		err = tx.QueryRow(ctx, q, in.DealID, in.Number, in.Amount, in.Currency, in.Status,
			in.IssuedAt, in.DueAt, s.Now(), in.OrderID).Scan(&id)
		return pgerr.Translate(err, "invoice")
	})
	if err != nil {
		return Invoice{}, err
	}
	return s.GetInvoice(ctx, p, id)
}

// GetInvoice returns one invoice of a deal p may see (404 otherwise).
func (s *Store) GetInvoice(ctx context.Context, p domain.Principal, id int64) (Invoice, error) {
	query, args, err := psql.Select(invoiceCols).From(invoiceFrom).
		Where(sq.And{sq.Eq{"i.id": id}, DealVisible(p, "d.id", "d.responsible_id")}).ToSql()
	if err != nil {
		return Invoice{}, err
	}
	i, err := scanInvoice(s.db.QueryRow(ctx, query, args...))
	return i, pgerr.Translate(err, "invoice")
}

// ListInvoices returns a page of the invoices of deals p may see, newest
// issue first, and the number matching the filter.
func (s *Store) ListInvoices(ctx context.Context, p domain.Principal, f InvoiceFilter) ([]Invoice, int, error) {
	where := sq.And{DealVisible(p, "d.id", "d.responsible_id")}
	if f.DealID != 0 {
		where = append(where, sq.Eq{"i.deal_id": f.DealID})
	}
	if f.Status != "" {
		var v check
		if v.oneOf("status", f.Status, InvoiceDraft, InvoiceIssued, InvoicePaid, InvoiceCancelled); v.Err != nil {
			return nil, 0, v.Err
		}
		where = append(where, sq.Eq{"i.status": f.Status})
	}
	return listRows(ctx, s.db, invoiceFrom, where, "i.issued_at DESC, i.id DESC", f.Limit, f.Offset, invoiceCols, scanInvoice)
}

// invoiceOrder checks the order an invoice names, when it names one: an
// order of the invoice's deal (422 order_id otherwise, whether the order
// is absent or another deal's) in the invoice's currency (422 currency).
// The order is locked against a concurrent change of its deal.
func invoiceOrder(ctx context.Context, tx pgx.Tx, in NewInvoice) error {
	if in.OrderID == nil {
		return nil
	}
	var dealID int64
	var currency string
	const q = `SELECT deal_id, currency FROM orders WHERE id = $1 FOR SHARE`
	err := tx.QueryRow(ctx, q, *in.OrderID).Scan(&dealID, &currency)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || (err == nil && dealID != in.DealID):
		return apperr.Field("order_id", "order_other_deal", "the invoice's deal has no such order")
	case err != nil:
		return pgerr.Translate(err, "order")
	case currency != in.Currency:
		return apperr.Field("currency", "order_currency", "an invoice of an order is in the order's currency ("+currency+")")
	}
	return nil
}

// KnownCurrency answers 422 on field when no currency has this code
// (on q: the pool or the caller's transaction).
func KnownCurrency(ctx context.Context, q Querier, field, code string) error {
	return knownCurrency(ctx, q, field, code)
}

// knownCurrency answers 422 on field when no currency has this code.
func knownCurrency(ctx context.Context, q Querier, field, code string) error {
	r := dealRefs{ctx: ctx, q: q}
	r.currency(field, code)
	return r.err
}

const paymentCols = `pm.id, pm.invoice_id, pm.amount, pm.status, pm.planned_at, pm.paid_at, pm.created_at, pm.updated_at`

// paymentFrom joins each payment to its invoice's deal, for DealVisible.
const paymentFrom = `payments pm JOIN invoices i ON i.id = pm.invoice_id JOIN deals d ON d.id = i.deal_id`

func scanPayment(r pgx.Row) (Payment, error) {
	var x Payment
	err := r.Scan(&x.ID, &x.InvoiceID, &x.Amount, &x.Status, &x.PlannedAt, &x.PaidAt, &x.CreatedAt, &x.UpdatedAt)
	return x, err
}

// CreatePayment records a payment on an invoice whose deal the caller may
// change. When the paid payments reach the invoice's amount, the invoice
// becomes paid in the same transaction.
func (s *Store) CreatePayment(ctx context.Context, p domain.Principal, in NewPayment) (Payment, error) {
	if err := in.validate(s.Now()); err != nil {
		return Payment{}, err
	}
	var id int64
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := lockInvoiceForPayment(ctx, tx, p, in.InvoiceID); err != nil {
			return err
		}
		const q = `
INSERT INTO payments (invoice_id, amount, status, planned_at, paid_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING id`
		if err := tx.QueryRow(ctx, q, in.InvoiceID, in.Amount, in.Status, in.PlannedAt, in.PaidAt, s.Now()).Scan(&id); err != nil {
			return pgerr.Translate(err, "payment")
		}
		const settle = `
UPDATE invoices i
SET status = 'paid', updated_at = $2
WHERE i.id = $1
  AND i.status <> 'paid'
  AND (SELECT sum(pm.amount) FROM payments pm WHERE pm.invoice_id = i.id AND pm.status = 'paid') >= i.amount`
		_, err := tx.Exec(ctx, settle, in.InvoiceID, s.Now())
		return pgerr.Translate(err, "invoice")
	})
	if err != nil {
		return Payment{}, err
	}
	return s.GetPayment(ctx, p, id)
}

// lockInvoiceForPayment locks the invoice (so concurrent payments settle
// it once) and checks p may change its deal: 404 when p cannot see it,
// 403 when p only reads it, 409 when the invoice is cancelled.
func lockInvoiceForPayment(ctx context.Context, tx pgx.Tx, p domain.Principal, invoiceID int64) error {
	var dealID int64
	var status string
	const q = `SELECT deal_id, status FROM invoices WHERE id = $1 FOR UPDATE`
	if err := tx.QueryRow(ctx, q, invoiceID).Scan(&dealID, &status); err != nil {
		return pgerr.Translate(err, "invoice")
	}
	a, err := loadDealAccess(ctx, tx, p, dealID, false)
	if apperr.KindOf(err) == apperr.NotFound {
		return apperr.NotFoundf("invoice not found")
	}
	if err != nil {
		return err
	}
	if err := a.mayWrite(p); err != nil {
		return err
	}
	if status == InvoiceCancelled {
		return &apperr.Error{Kind: apperr.Conflict, Code: "invoice_cancelled", Field: "invoice_id",
			Message: "a cancelled invoice takes no payments"}
	}
	return nil
}

// GetPayment returns one payment on a deal p may see (404 otherwise).
func (s *Store) GetPayment(ctx context.Context, p domain.Principal, id int64) (Payment, error) {
	query, args, err := psql.Select(paymentCols).From(paymentFrom).
		Where(sq.And{sq.Eq{"pm.id": id}, DealVisible(p, "d.id", "d.responsible_id")}).ToSql()
	if err != nil {
		return Payment{}, err
	}
	x, err := scanPayment(s.db.QueryRow(ctx, query, args...))
	return x, pgerr.Translate(err, "payment")
}

// ListPayments returns a page of the payments on deals p may see, oldest
// first, and the number matching the filter.
func (s *Store) ListPayments(ctx context.Context, p domain.Principal, f PaymentFilter) ([]Payment, int, error) {
	where := sq.And{DealVisible(p, "d.id", "d.responsible_id")}
	if f.InvoiceID != 0 {
		where = append(where, sq.Eq{"pm.invoice_id": f.InvoiceID})
	}
	if f.DealID != 0 {
		where = append(where, sq.Eq{"i.deal_id": f.DealID})
	}
	return listRows(ctx, s.db, paymentFrom, where, "pm.id", f.Limit, f.Offset, paymentCols, scanPayment)
}
