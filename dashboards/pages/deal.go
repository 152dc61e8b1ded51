package pages

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
)

// dealLists is how many activities, invoices and payments the deal page
// lists at most (the newest); the headings say how many there are.
const dealLists = 200

// dealBody is the deal page: the deal, whose it is, its stage history,
// activities, invoices and payments, read with the user's access.
// Missing is set instead for a deal the user may not read (or that does
// not exist): the page then says so, with status 404.
type dealBody struct {
	Missing          bool
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
	InvoicesTotal    int
	PaymentsTotal    int
	users            map[int64]string
}

// dealPayment is a payment with its invoice's number and currency.
type dealPayment struct {
	crmcore.Payment
	Invoice, Currency string
}

// dealPage shows one deal, read-only, under the API's access rules: a
// deal the user may not read is a 404 page, as GET /api/v1/deals/{id}.
func (s *handlers) dealPage(c *fiber.Ctx) error {
	d := s.newPage(c, "deal_missing")
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return dealMissing(c, d)
	}
	ctx, p := c.UserContext(), server.Principal(c)
	deal, err := s.Store.GetDeal(ctx, p, id)
	if e := apperr.As(err); e != nil && e.Kind == apperr.NotFound {
		return dealMissing(c, d)
	}
	if err != nil {
		return err
	}
	body := &dealBody{Deal: deal, Whose: whose(p, deal)}
	if err := s.dealParts(c, body); err != nil {
		return err
	}
	d.Title, d.Body = deal.Title, body
	return render(c, "deal", d)
}

// dealMissing is the deal page of a deal the user may not read: the same
// for one that does not exist, so ids cannot be probed.
func dealMissing(c *fiber.Ctx, d *pageData) error {
	d.Body = &dealBody{Missing: true}
	c.Status(fiber.StatusNotFound)
	return render(c, "deal", d)
}

// dealParts reads what the deal page shows beside the deal itself.
func (s *handlers) dealParts(c *fiber.Ctx, b *dealBody) error {
	ctx := c.UserContext()
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
	if err := s.dealParties(c, b); err != nil {
		return err
	}
	return s.dealRecords(c, b)
}

// dealParties reads the deal's company and contact by name.
func (s *handlers) dealParties(c *fiber.Ctx, b *dealBody) error {
	ctx, p := c.UserContext(), server.Principal(c)
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
	return nil
}

// dealRecords reads the deal's history, activities, invoices and
// payments (each payment with its invoice's number and currency).
func (s *handlers) dealRecords(c *fiber.Ctx, b *dealBody) error {
	ctx, p, id := c.UserContext(), server.Principal(c), b.Deal.ID
	var err error
	if b.History, err = s.Store.DealHistory(ctx, p, id); err != nil {
		return err
	}
	if b.Activities, b.ActivitiesTotal, err = s.Store.ListActivities(ctx, p, crmcore.ActivityFilter{DealID: id, Limit: dealLists}); err != nil {
		return err
	}
	if b.Invoices, b.InvoicesTotal, err = s.Store.ListInvoices(ctx, p, crmcore.InvoiceFilter{DealID: id, Limit: dealLists}); err != nil {
		return err
	}
	invoices := map[int64]crmcore.Invoice{}
	for _, inv := range b.Invoices {
		invoices[inv.ID] = inv
	}
	payments, total, err := s.Store.ListPayments(ctx, p, crmcore.PaymentFilter{DealID: id, Limit: dealLists})
	if err != nil {
		return err
	}
	b.PaymentsTotal = total
	for _, pm := range payments {
		inv := invoices[pm.InvoiceID]
		b.Payments = append(b.Payments, dealPayment{pm, inv.Number, inv.Currency})
	}
	return nil
}

// UserName is a user's name by id (templates).
func (b *dealBody) UserName(id int64) string { return b.users[id] }

// Percent is a whole percentage as the reader writes it ("20 %").
func (d *pageData) Percent(p int) string { return i18n.Percent(d.Lang, float64(p)/100, 0) }

// ListCount is the size of a list the deal page shows: n, or "the latest
// n of total" when it shows only the newest.
func (d *pageData) ListCount(n, total int) string {
	if n < total {
		return fmt.Sprintf(d.T("deal_list_count"), n, total)
	}
	return strconv.Itoa(n)
}
