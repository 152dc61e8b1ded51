package seed

import (
	"slices"
	"time"
)

// chunk is a batch of deals with every row that belongs to them, ready to
// COPY. Ids are absolute; 0 in a reference column means NULL. It references
// only its own rows, users, products and reference tables.
type chunk struct {
	index        int
	companies    []company
	contacts     []contact
	leads        []lead
	leadChanges  []change
	deals        []deal
	stageChanges []change
	observers    []observer
	activities   []activity
	items        []item
	invoices     []invoice
	payments     []payment
}

// reset empties c for chunk index of n deals, keeping (and growing to the
// usual sizes) its slices: chunks are recycled, so steady state allocates
// no row storage.
func (c *chunk) reset(index, n int) {
	c.index = index
	c.companies = slices.Grow(c.companies[:0], (n+4)/5)
	c.contacts = slices.Grow(c.contacts[:0], (n+2)/3)
	c.leads = slices.Grow(c.leads[:0], n)
	c.leadChanges = slices.Grow(c.leadChanges[:0], 3*n)
	c.deals = slices.Grow(c.deals[:0], n)
	c.stageChanges = slices.Grow(c.stageChanges[:0], 6*n)
	c.observers = slices.Grow(c.observers[:0], n/4)
	c.activities = slices.Grow(c.activities[:0], 5*n)
	c.items = slices.Grow(c.items[:0], n)
	c.invoices = slices.Grow(c.invoices[:0], n/3)
	c.payments = slices.Grow(c.payments[:0], n/3)
}

type company struct {
	ID, Responsible                  int64
	Name, INN, Phone, Email, Address string
	Created                          time.Time
}

type contact struct {
	ID, Company, Responsible int64
	person
	Phone, Email, Position string
	Created                time.Time
	company                int // index into chunk.companies, -1 for none
}

type lead struct {
	ID, Stage, Responsible, Contact, Company, Deal, CreatedBy int64
	Title, Source, ContactName, Phone, Email, CompanyName     string
	Reason                                                    string
	Created, Updated, Converted                               time.Time
}

// change is a row of stage_changes (Owner is the deal) or of
// lead_status_changes (Owner is the lead; Pipeline unused).
type change struct {
	ID, Owner, Pipeline, From, To, By int64
	At                                time.Time
	Reason                            string
}

type deal struct {
	ID, Pipeline, Stage, Responsible, Company, Contact, Lead, CreatedBy int64
	Amount                                                              int64 // hundredths
	Title, Currency, Source, LostReason                                 string
	Created, Updated, Closed                                            time.Time
	ExpectedClose                                                       time.Time // a date: midnight UTC; zero is none
}

type observer struct{ Deal, User int64 }

type activity struct {
	ID, Owner, Deal          int64
	Type, Subject, Direction string
	Duration                 int32 // seconds; -1 for none
	Due, Done, Created       time.Time
	Updated                  time.Time
}

// item is a deal line: Qty in thousandths, Price and Discount in hundredths.
type item struct{ ID, Deal, Product, Qty, Price, Discount int64 }

type invoice struct {
	ID, Deal, Amount         int64
	Number, Currency, Status string
	Issued, Due, Updated     time.Time
}

type payment struct {
	ID, Invoice, Amount             int64
	Status                          string
	Planned, Paid, Created, Updated time.Time
}

// The most child rows one deal can have; with them the ids a run needs are
// reserved before anything is generated (see bounds).
const (
	maxLeadMoves  = 8
	maxDealMoves  = 30
	maxActivities = 6
	maxItems      = 4
	maxInvoices   = 2
	maxPayments   = 2 // per invoice
)

// bounds is how many ids of each table n deals may take at most.
func bounds(sizes []int) ids {
	var b ids
	for _, n := range sizes {
		m := int64(n)
		b[tCompanies] += (m + 4) / 5
		b[tContacts] += (m + 2) / 3
		b[tLeads] += m
		b[tLeadChanges] += m * (maxLeadMoves + 1)
		b[tDeals] += m
		b[tStageChanges] += m * (maxDealMoves + 1)
		b[tActivities] += m * maxActivities
		b[tItems] += m * maxItems
		b[tInvoices] += m * maxInvoices
		b[tPayments] += m * maxInvoices * maxPayments
	}
	return b
}

// counts is how many rows of each id table the chunk holds.
func (c *chunk) counts() ids {
	return ids{
		int64(len(c.companies)), int64(len(c.contacts)), int64(len(c.leads)),
		int64(len(c.leadChanges)), int64(len(c.deals)), int64(len(c.stageChanges)),
		int64(len(c.activities)), int64(len(c.items)), int64(len(c.invoices)),
		int64(len(c.payments)),
	}
}
