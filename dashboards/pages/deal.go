package pages

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/apperr"
)

// dealLists is how many activities, invoices and payments the deal page
// lists at most (the newest).
const dealLists = 200

// dealBody is the deal page: the deal, whose it is, its stage history,
// activities, invoices and payments, read with the user's access.
type dealBody struct {
	Deal             crmcore.Deal
	Pipeline         crmcore.Pipeline
	Stage            crmcore.Stage
	Whose            string
	Observers        []string
	Company, Contact string
	History          []crmcore.StageChange
	Activities       []crmcore.Activity
	Invoices         []crmcore.Invoice
	Payments         []dealPayment
	ActivitiesTotal  int
	users            map[int64]string
	invoiceNumbers   map[int64]string
}

// dealPayment is a payment with its invoice's number.
type dealPayment struct {
	crmcore.Payment
	Invoice string
}

// dealPage shows one deal, read-only, under the API's access rules: a
// deal the user may not read is a 404 page, as GET /api/v1/deals/{id}.
func (s *handlers) dealPage(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.NotFoundf("deal not found")
	}
	ctx, p := c.UserContext(), server.Principal(c)
	deal, err := s.Store.GetDeal(ctx, p, id)
	if err != nil {
		return err
	}
	body := &dealBody{Deal: deal, Whose: whose(p, deal), invoiceNumbers: map[int64]string{}}
	if err := s.dealParts(c, body); err != nil {
		return err
	}
	d := s.newPage(c, "deal")
	d.Title, d.Body = deal.Title, body
	return render(c, "deal", d)
}

// dealParts reads what the deal page shows beside the deal itself.
func (s *handlers) dealParts(c *fiber.Ctx, b *dealBody) error {
	ctx, p, id := c.UserContext(), server.Principal(c), b.Deal.ID
	pl, err := s.dealPipeline(c, b.Deal.Pipeline)
	if err != nil {
		return err
	}
	b.Pipeline = pl
	b.Stage, _ = pl.Stage(b.Deal.Stage)
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return err
	}
	b.users = usersByID(users)
	for _, o := range b.Deal.Observers {
		b.Observers = append(b.Observers, b.users[o])
	}
	if b.Deal.CompanyID != nil {
		co, err := s.Store.GetCompany(ctx, p, *b.Deal.CompanyID)
		if err != nil {
			return err
		}
		b.Company = co.Name
	}
	if b.Deal.ContactID != nil {
		ct, err := s.Store.GetContact(ctx, p, *b.Deal.ContactID)
		if err != nil {
			return err
		}
		b.Contact = strings.Join(strings.Fields(ct.LastName+" "+ct.FirstName+" "+ct.MiddleName), " ")
	}
	if b.History, err = s.Store.DealHistory(ctx, p, id); err != nil {
		return err
	}
	if b.Activities, b.ActivitiesTotal, err = s.Store.ListActivities(ctx, p, crmcore.ActivityFilter{DealID: id, Limit: dealLists}); err != nil {
		return err
	}
	if b.Invoices, _, err = s.Store.ListInvoices(ctx, p, crmcore.InvoiceFilter{DealID: id, Limit: dealLists}); err != nil {
		return err
	}
	for _, inv := range b.Invoices {
		b.invoiceNumbers[inv.ID] = inv.Number
	}
	payments, _, err := s.Store.ListPayments(ctx, p, crmcore.PaymentFilter{DealID: id, Limit: dealLists})
	for _, pm := range payments {
		b.Payments = append(b.Payments, dealPayment{pm, b.invoiceNumbers[pm.InvoiceID]})
	}
	return err
}

// UserName is a user's name by id (templates).
func (b *dealBody) UserName(id int64) string { return b.users[id] }
