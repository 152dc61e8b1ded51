package seed

import (
	"fmt"
	"time"
)

// paymentTerms are the usual days between issuing an invoice and its due date.
var paymentTerms = []int{5, 10, 14, 30}

// invoices bills a won deal: one invoice, or two (advance and final) for
// some; each is paid, partly paid, awaiting payment, a draft or cancelled.
func (g *gen) invoices(d *deal) {
	r := g.r
	parts := []int64{d.Amount}
	if r.IntN(100) < 20 && d.Amount >= 200 {
		first := d.Amount * int64(30+r.IntN(41)) / 100
		parts = []int64{first, d.Amount - first}
	}
	issued := earliest(g.now, later(r, d.Closed, 4*time.Hour, 0.8))
	for i, amount := range parts {
		if i > 0 {
			issued = later(r, issued, 150*time.Hour, 0.4)
			if issued.After(g.now) {
				return
			}
		}
		g.invoice(d, amount, issued)
	}
}

func (g *gen) invoice(d *deal, amount int64, issued time.Time) {
	r := g.r
	in := invoice{ID: g.nextID(tInvoices), Deal: d.ID, Amount: amount, Currency: d.Currency,
		Issued: issued, Updated: issued, Status: "issued"}
	in.Number = fmt.Sprintf("СЧ-%d-%06d", issued.In(msk).Year(), in.ID)
	in.Due = issued.Add(time.Duration(paymentTerms[r.IntN(len(paymentTerms))]) * day)
	switch x := r.IntN(100); {
	case x < 3:
		in.Status = "cancelled"
	case x < 30 && g.now.Sub(issued) < 24*time.Hour:
		in.Status = "draft"
	default:
		g.pay(&in)
	}
	g.c.invoices = append(g.c.invoices, in)
}

// pay adds the payments of an issued invoice: paid in full or in two
// parts when the money has come before now, else a planned payment.
func (g *gen) pay(in *invoice) {
	r := g.r
	at := later(r, in.Issued, 40*time.Hour, 0.9).Add(g.lateness(in.ID))
	if at.After(g.now) {
		if r.IntN(100) < 75 {
			g.payment(in, in.Amount, "planned", in.Due)
		}
		return
	}
	amount := in.Amount
	if r.IntN(100) < 20 && amount >= 200 {
		part := amount / 2
		g.payment(in, part, "paid", at)
		amount -= part
		if at = later(r, at, 60*time.Hour, 0.6); at.After(g.now) {
			g.payment(in, amount, "planned", latest(in.Due, at))
			return
		}
	}
	g.payment(in, amount, "paid", at)
	in.Status = "paid"
}

func (g *gen) payment(in *invoice, amount int64, status string, at time.Time) {
	p := payment{ID: g.nextID(tPayments), Invoice: in.ID, Amount: amount, Status: status,
		Created: in.Issued, Updated: in.Issued}
	if status == "paid" {
		p.Paid, p.Planned, p.Updated = at, in.Due, at
		in.Updated = at
	} else {
		p.Planned = at
	}
	g.c.payments = append(g.c.payments, p)
}

// lateness is how late the client of invoice id pays (issue 19): about
// one in eight pays 20 to 420 days after it would have, so the demo has
// receivables of every age. Drawn from the id and the seed, not from the
// chunk's stream, so the other values of the demo stay as they were.
func (g *gen) lateness(id int64) time.Duration {
	u := mix(g.salt ^ uint64(id)<<20 ^ 0x1a7e)
	if u%8 != 0 {
		return 0
	}
	return time.Duration(20+u>>8%401) * day
}
