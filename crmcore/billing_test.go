package crmcore_test

import (
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

var (
	issued = time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	due    = time.Date(2025, 4, 15, 9, 0, 0, 0, time.UTC)
)

func invoiceIn(deal int64, number, amount string) crmcore.NewInvoice {
	return crmcore.NewInvoice{DealID: deal, Number: number, Amount: domain.NewMoney(amount), Currency: "RUB",
		Status: "issued", IssuedAt: issued, DueAt: due}
}

func TestInvoiceRules(t *testing.T) {
	f := newBizFixture(t)
	own := f.rawDeal("Поставка", f.mgr, f.mgr2)
	other := f.rawDeal("Тендер", f.mgr2)
	inv, err := f.s.CreateInvoice(f.ctx, f.mgr, invoiceIn(own, "СЧ-2025/001", "150000.50"))
	if err != nil {
		t.Fatal(err)
	}
	if inv.Number != "СЧ-2025/001" || inv.Amount.String() != "150000.5" || !inv.PaidAmount.IsZero() || !inv.DueAt.Equal(due) {
		t.Errorf("created %+v", inv)
	}
	draft := invoiceIn(other, "СЧ-2025/002", "10")
	draft.Status = ""
	if inv2, err := f.s.CreateInvoice(f.ctx, f.mgr2, draft); err != nil || inv2.Status != "draft" {
		t.Fatalf("default status: %+v %v", inv2, err)
	}
	bad := func(mut func(*crmcore.NewInvoice)) crmcore.NewInvoice {
		in := invoiceIn(own, "СЧ-2025/003", "100")
		mut(&in)
		return in
	}
	for _, tc := range []struct {
		name  string
		as    domain.Principal
		in    crmcore.NewInvoice
		kind  apperr.Kind
		field string
	}{
		{"duplicate number", f.mgr, invoiceIn(own, "СЧ-2025/001", "1"), apperr.Conflict, "number"},
		{"invisible deal", f.mgr, invoiceIn(other, "СЧ-2025/003", "1"), apperr.NotFound, ""},
		{"observer reads only", f.mgr2, invoiceIn(own, "СЧ-2025/003", "1"), apperr.Forbidden, ""},
		{"analyst", f.analyst, invoiceIn(own, "СЧ-2025/003", "1"), apperr.Forbidden, ""},
		{"due before issue", f.mgr, bad(func(in *crmcore.NewInvoice) { in.DueAt = issued.Add(-time.Hour) }), apperr.Invalid, "due_at"},
		{"no issue date", f.mgr, bad(func(in *crmcore.NewInvoice) { in.IssuedAt = time.Time{} }), apperr.Invalid, "issued_at"},
		{"issued in 1900", f.mgr, bad(func(in *crmcore.NewInvoice) { in.IssuedAt = *at(1900, 1, 1) }), apperr.Invalid, "issued_at"},
		{"due in 2300", f.mgr, bad(func(in *crmcore.NewInvoice) { in.DueAt = *at(2300, 1, 1) }), apperr.Invalid, "due_at"},
		{"negative amount", f.mgr, bad(func(in *crmcore.NewInvoice) { in.Amount = domain.NewMoney("-1") }), apperr.Invalid, "amount"},
		{"kopeck fractions", f.mgr, bad(func(in *crmcore.NewInvoice) { in.Amount = domain.NewMoney("1.001") }), apperr.Invalid, "amount"},
		{"unknown currency", f.mgr, bad(func(in *crmcore.NewInvoice) { in.Currency = "XXX" }), apperr.Invalid, "currency"},
		{"bad currency", f.mgr, bad(func(in *crmcore.NewInvoice) { in.Currency = "рубль" }), apperr.Invalid, "currency"},
		{"bad status", f.mgr, bad(func(in *crmcore.NewInvoice) { in.Status = "sent" }), apperr.Invalid, "status"},
		{"no number", f.mgr, bad(func(in *crmcore.NewInvoice) { in.Number = "" }), apperr.Invalid, "number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.s.CreateInvoice(f.ctx, tc.as, tc.in)
			wantErr(t, err, tc.kind, tc.field)
		})
	}
	if n := f.count("invoices"); n != 2 {
		t.Errorf("invoices = %d, want 2", n)
	}
	if _, err := f.s.GetInvoice(f.ctx, f.mgr, inv.ID+1); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("mgr reads mgr2's invoice: %v", err)
	}
	for _, tc := range []struct {
		as     domain.Principal
		filter crmcore.InvoiceFilter
		want   int
	}{
		{f.mgr, crmcore.InvoiceFilter{}, 1},
		{f.mgr2, crmcore.InvoiceFilter{}, 2}, // its own deal's and the observed one's
		{f.analyst, crmcore.InvoiceFilter{Status: "draft"}, 1},
		{f.director, crmcore.InvoiceFilter{DealID: own}, 1},
	} {
		if _, total, err := f.s.ListInvoices(f.ctx, tc.as, tc.filter); err != nil || total != tc.want {
			t.Errorf("%s %+v: %d %v, want %d", tc.as.Name, tc.filter, total, err, tc.want)
		}
	}
}

func paymentIn(invoice int64, amount, status string) crmcore.NewPayment {
	in := crmcore.NewPayment{InvoiceID: invoice, Amount: domain.NewMoney(amount), Status: status}
	if status == "paid" {
		in.PaidAt = &due
	} else {
		in.PlannedAt = &due
	}
	return in
}

func TestPaymentsSettleTheInvoice(t *testing.T) {
	f := newBizFixture(t)
	f.s.Now = func() time.Time { return due.Add(time.Hour) }
	deal := f.rawDeal("Поставка", f.mgr, f.mgr2)
	inv, err := f.s.CreateInvoice(f.ctx, f.mgr, invoiceIn(deal, "СЧ-1", "1000.00"))
	if err != nil {
		t.Fatal(err)
	}
	status := func() (s string) {
		f.pg.Pool.QueryRow(f.ctx, `SELECT status FROM invoices WHERE id = $1`, inv.ID).Scan(&s)
		return s
	}
	for i, step := range []struct {
		amount, status, invoice string
	}{
		{"600.00", "paid", "issued"},    // 600 of 1000
		{"400.00", "planned", "issued"}, // planned money does not count
		{"399.99", "paid", "issued"},    // 999.99
		{"0.01", "paid", "paid"},        // 1000.00
	} {
		p, err := f.s.CreatePayment(f.ctx, f.mgr, paymentIn(inv.ID, step.amount, step.status))
		if err != nil || p.Status != step.status {
			t.Fatalf("payment %d: %+v %v", i, p, err)
		}
		if got := status(); got != step.invoice {
			t.Errorf("after payment %d the invoice is %s, want %s", i, got, step.invoice)
		}
	}
	got, _ := f.s.GetInvoice(f.ctx, f.mgr2, inv.ID)
	if got.PaidAmount.String() != "1000" {
		t.Errorf("paid_amount %s, want 1000", got.PaidAmount)
	}
	if _, total, _ := f.s.ListPayments(f.ctx, f.mgr2, crmcore.PaymentFilter{InvoiceID: inv.ID}); total != 4 {
		t.Errorf("observer lists %d payments, want 4", total)
	}
}

func TestPaymentRules(t *testing.T) {
	f := newBizFixture(t)
	f.s.Now = func() time.Time { return due }
	deal := f.rawDeal("Поставка", f.mgr, f.mgr2)
	inv, _ := f.s.CreateInvoice(f.ctx, f.mgr, invoiceIn(deal, "СЧ-1", "1000.00"))
	cancelled := invoiceIn(deal, "СЧ-2", "5")
	cancelled.Status = "cancelled"
	inv2, _ := f.s.CreateInvoice(f.ctx, f.mgr, cancelled)
	mine, err := f.s.CreatePayment(f.ctx, f.mgr, paymentIn(inv.ID, "100", "planned"))
	if err != nil {
		t.Fatal(err)
	}
	later := due.Add(48 * time.Hour)
	for _, tc := range []struct {
		name  string
		as    domain.Principal
		in    crmcore.NewPayment
		kind  apperr.Kind
		field string
	}{
		{"planned without planned_at", f.mgr, crmcore.NewPayment{InvoiceID: inv.ID, Amount: domain.NewMoney("1"), Status: "planned"}, apperr.Invalid, "planned_at"},
		{"paid without paid_at", f.mgr, crmcore.NewPayment{InvoiceID: inv.ID, Amount: domain.NewMoney("1"), Status: "paid", PlannedAt: &due}, apperr.Invalid, "paid_at"},
		{"paid in the future", f.mgr, crmcore.NewPayment{InvoiceID: inv.ID, Amount: domain.NewMoney("1"), Status: "paid", PaidAt: &later}, apperr.Invalid, "paid_at"},
		{"planned in 1969", f.mgr, crmcore.NewPayment{InvoiceID: inv.ID, Amount: domain.NewMoney("1"), Status: "planned", PlannedAt: at(1969, 1, 1)}, apperr.Invalid, "planned_at"},
		{"planned in 2300", f.mgr, crmcore.NewPayment{InvoiceID: inv.ID, Amount: domain.NewMoney("1"), Status: "planned", PlannedAt: at(2300, 1, 1)}, apperr.Invalid, "planned_at"},
		{"zero amount", f.mgr, paymentIn(inv.ID, "0", "paid"), apperr.Invalid, "amount"},
		{"negative amount", f.mgr, paymentIn(inv.ID, "-5", "paid"), apperr.Invalid, "amount"},
		{"bad status", f.mgr, paymentIn(inv.ID, "5", "sent"), apperr.Invalid, "status"},
		{"observer reads only", f.mgr2, paymentIn(inv.ID, "5", "paid"), apperr.Forbidden, ""},
		{"analyst", f.analyst, paymentIn(inv.ID, "5", "paid"), apperr.Forbidden, ""},
		{"missing invoice", f.admin, paymentIn(inv2.ID+10, "5", "paid"), apperr.NotFound, ""},
		{"cancelled invoice", f.mgr, paymentIn(inv2.ID, "5", "paid"), apperr.Conflict, "invoice_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.s.CreatePayment(f.ctx, tc.as, tc.in)
			wantErr(t, err, tc.kind, tc.field)
		})
	}
	if n := f.count("payments"); n != 1 {
		t.Errorf("payments = %d, want 1", n)
	}
	// The deal passes to the director and mgr2 stops observing it.
	f.exec(`UPDATE deals SET responsible_id = $1 WHERE id = $2`, f.director.UserID, deal)
	f.exec(`DELETE FROM deal_observers WHERE deal_id = $1`, deal)
	if _, err := f.s.CreatePayment(f.ctx, f.mgr2, paymentIn(inv.ID, "5", "paid")); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("payment on an invisible invoice: %v", err)
	}
	if _, err := f.s.GetPayment(f.ctx, f.mgr2, mine.ID); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("read a payment of an invisible deal: %v", err)
	}
	if _, total, _ := f.s.ListPayments(f.ctx, f.mgr2, crmcore.PaymentFilter{}); total != 0 {
		t.Errorf("mgr2 lists %d payments, want 0", total)
	}
}
