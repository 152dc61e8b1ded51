package crmcore

import (
	"time"

	"github.com/voronka/voronka/domain"
)

// Invoice and payment statuses.
const (
	InvoiceDraft     = "draft"
	InvoiceIssued    = "issued"
	InvoicePaid      = "paid"
	InvoiceCancelled = "cancelled"
	PaymentPlanned   = "planned"
	PaymentPaid      = "paid"
)

// maxInvoiceNumber bounds an invoice number ("СЧ-2024/0001").
const maxInvoiceNumber = 64

// Invoice is a bill on a deal. Invariants: Number is unique, DueAt is not
// before IssuedAt; it becomes paid when its paid payments reach Amount.
// PaidAmount is the sum of those payments (in the invoice's currency).
// OrderID, when set, is an order of the same deal in the same currency
// (crmcore/docs). Who sees an invoice is who sees its deal.
type Invoice struct {
	ID         int64        `json:"id"`
	DealID     int64        `json:"deal_id"`
	OrderID    *int64       `json:"order_id"`
	Number     string       `json:"number"`
	Amount     domain.Money `json:"amount"`
	Currency   string       `json:"currency"`
	Status     string       `json:"status"`
	IssuedAt   time.Time    `json:"issued_at"`
	DueAt      time.Time    `json:"due_at"`
	PaidAmount domain.Money `json:"paid_amount"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// NewInvoice is the input of CreateInvoice; Status defaults to draft.
type NewInvoice struct {
	DealID   int64        `json:"deal_id"`
	OrderID  *int64       `json:"order_id,omitempty"`
	Number   string       `json:"number"`
	Amount   domain.Money `json:"amount"`
	Currency string       `json:"currency"`
	Status   string       `json:"status,omitempty"`
	IssuedAt time.Time    `json:"issued_at"`
	DueAt    time.Time    `json:"due_at"`
}

// InvoiceFilter selects invoices; zero fields do not filter.
type InvoiceFilter struct {
	DealID int64
	Status string
	Limit  int
	Offset int
}

// Payment is money planned or received against an invoice, in the
// invoice's currency. Invariants: Amount > 0; a planned payment has
// PlannedAt, a paid one PaidAt.
type Payment struct {
	ID        int64        `json:"id"`
	InvoiceID int64        `json:"invoice_id"`
	Amount    domain.Money `json:"amount"`
	Status    string       `json:"status"`
	PlannedAt *time.Time   `json:"planned_at"`
	PaidAt    *time.Time   `json:"paid_at"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// NewPayment is the input of CreatePayment.
type NewPayment struct {
	InvoiceID int64        `json:"invoice_id"`
	Amount    domain.Money `json:"amount"`
	Status    string       `json:"status"`
	PlannedAt *time.Time   `json:"planned_at,omitempty"`
	PaidAt    *time.Time   `json:"paid_at,omitempty"`
}

// PaymentFilter selects payments; a zero InvoiceID or DealID does not
// filter.
type PaymentFilter struct {
	InvoiceID int64
	DealID    int64 // the payments of every invoice of the deal
	Limit     int
	Offset    int
}

// validate checks a new invoice's own fields, defaulting the status.
func (in *NewInvoice) validate() error {
	if in.Status == "" {
		in.Status = InvoiceDraft
	}
	var v check
	v.id("deal_id", in.DealID, true)
	v.optClearable("order_id", in.OrderID)
	in.OrderID = nullID(in.OrderID)
	v.text("number", in.Number, true, maxInvoiceNumber)
	v.amount("amount", in.Amount.Decimal, false)
	v.currency("currency", in.Currency)
	v.oneOf("status", in.Status, InvoiceDraft, InvoiceIssued, InvoicePaid, InvoiceCancelled)
	v.timeGiven("issued_at", in.IssuedAt)
	v.timeGiven("due_at", in.DueAt)
	v.moment("issued_at", &in.IssuedAt)
	v.moment("due_at", &in.DueAt)
	if in.DueAt.Before(in.IssuedAt) {
		v.fail("due_at", "before_issued_at", "the due date must not be before the issue date")
	}
	return v.Err
}

// validate checks a new payment's own fields; a payment is not paid in
// the future.
func (in NewPayment) validate(now time.Time) error {
	var v check
	v.id("invoice_id", in.InvoiceID, true)
	v.amount("amount", in.Amount.Decimal, true)
	v.oneOf("status", in.Status, PaymentPlanned, PaymentPaid)
	switch {
	case in.Status == PaymentPlanned && in.PlannedAt == nil:
		v.fail("planned_at", "required", "a planned payment needs planned_at")
	case in.Status == PaymentPaid && in.PaidAt == nil:
		v.fail("paid_at", "required", "a paid payment needs paid_at")
	case in.PaidAt != nil && in.PaidAt.After(now.Add(time.Minute)):
		v.fail("paid_at", "in_future", "a payment cannot be received in the future")
	}
	v.moment("planned_at", in.PlannedAt)
	v.moment("paid_at", in.PaidAt)
	return v.Err
}

// timeGiven checks that a timestamp is given.
func (v *check) timeGiven(field string, t time.Time) {
	if t.IsZero() {
		v.fail(field, "required", "a timestamp is required")
	}
}
