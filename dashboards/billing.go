package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
)

// billingRoutes: invoices and payments, who sees them is who sees their
// deal; the price list and deal items follow (products.go).
func (s *Server) billingRoutes() []route {
	return append([]route{
		{method: "GET", path: "/invoices", summary: "Invoices of the deals the caller may see, newest first",
			handler: s.listInvoices, answer: list[crmcore.Invoice]{}, query: []string{"deal_id", "status", "limit", "offset"}},
		{method: "POST", path: "/invoices", summary: "Bill a deal the caller may change (number unique)", roles: nonAnalysts,
			handler: createVia(s.Store.CreateInvoice), body: crmcore.NewInvoice{}, answer: crmcore.Invoice{}},
		{method: "GET", path: "/invoices/:id", summary: "One invoice, with the sum of its paid payments",
			handler: getVia(s.Store.GetInvoice), answer: crmcore.Invoice{}},
		{method: "GET", path: "/payments", summary: "Payments on the deals the caller may see",
			handler: s.listPayments, answer: list[crmcore.Payment]{}, query: []string{"invoice_id", "limit", "offset"}},
		{method: "POST", path: "/payments", summary: "Record a planned or received payment; the invoice becomes paid when paid payments reach its amount",
			roles: nonAnalysts, handler: createVia(s.Store.CreatePayment), body: crmcore.NewPayment{}, answer: crmcore.Payment{}},
		{method: "GET", path: "/payments/:id", summary: "One payment",
			handler: getVia(s.Store.GetPayment), answer: crmcore.Payment{}},
	}, s.productRoutes()...)
}

func (s *Server) listInvoices(c *fiber.Ctx) error {
	f := crmcore.InvoiceFilter{Status: c.Query("status")}
	var err error
	if f.DealID, err = queryIDParam(c, "deal_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListInvoices(c.UserContext(), principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

func (s *Server) listPayments(c *fiber.Ctx) error {
	var f crmcore.PaymentFilter
	var err error
	if f.InvoiceID, err = queryIDParam(c, "invoice_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListPayments(c.UserContext(), principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}
