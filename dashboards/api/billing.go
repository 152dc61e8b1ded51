package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
)

// billingRoutes: invoices and payments, who sees them is who sees their
// deal; the price list and deal items follow (products.go).
func (s *handlers) billingRoutes() []server.Route {
	return append([]server.Route{
		{Method: "GET", Path: "/invoices", Summary: "Invoices of the deals the caller may see, newest first",
			Handler: s.listInvoices, Answer: list[crmcore.Invoice]{}, Query: []string{"deal_id", "status", "limit", "offset"}},
		{Method: "POST", Path: "/invoices", Summary: "Bill a deal the caller may change (number unique)", Roles: nonAnalysts,
			Handler: createVia(s.Store.CreateInvoice), Body: crmcore.NewInvoice{}, Answer: crmcore.Invoice{}},
		{Method: "GET", Path: "/invoices/:id", Summary: "One invoice, with the sum of its paid payments",
			Handler: getVia(s.Store.GetInvoice), Answer: crmcore.Invoice{}},
		{Method: "GET", Path: "/payments", Summary: "Payments on the deals the caller may see",
			Handler: s.listPayments, Answer: list[crmcore.Payment]{}, Query: []string{"invoice_id", "limit", "offset"}},
		{Method: "POST", Path: "/payments", Summary: "Record a planned or received payment; the invoice becomes paid when paid payments reach its amount",
			Roles: nonAnalysts, Handler: createVia(s.Store.CreatePayment), Body: crmcore.NewPayment{}, Answer: crmcore.Payment{}},
		{Method: "GET", Path: "/payments/:id", Summary: "One payment",
			Handler: getVia(s.Store.GetPayment), Answer: crmcore.Payment{}},
	}, s.productRoutes()...)
}

func (s *handlers) listInvoices(c *fiber.Ctx) error {
	f := crmcore.InvoiceFilter{Status: c.Query("status")}
	var err error
	if f.DealID, err = queryIDParam(c, "deal_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListInvoices(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

func (s *handlers) listPayments(c *fiber.Ctx) error {
	var f crmcore.PaymentFilter
	var err error
	if f.InvoiceID, err = queryIDParam(c, "invoice_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListPayments(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}
