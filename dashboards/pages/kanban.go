package pages

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/stale"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
)

// How many cards a column shows: kanbanCards at first, kanbanStep more
// for each "show more", kanbanMaxCards at most on one page (narrow the
// search beyond that).
const (
	kanbanCards    = 50
	kanbanStep     = 50
	kanbanMaxCards = 1000
)

// Whose a card is, for the signed-in user.
const (
	whoseOwn       = "own"       // they are responsible
	whoseObserved  = "observed"  // they observe it, a colleague is responsible
	whoseColleague = "colleague" // a colleague's, seen by a role that sees every deal
)

// kanbanCard is one deal on the board, whose it is, and whether its
// expected close date has passed while it is open.
type kanbanCard struct {
	crmcore.Deal
	Whose   string
	Overdue bool
	Idle    *stale.Deal // open deals: how long idle, stale or not (nil: closed)
}

// kanbanColumn is one stage with its newest cards (Total in all) and the
// link that shows MoreN more ("" when every card is shown); Capped when
// the column shows kanbanMaxCards and more match (narrow the search).
type kanbanColumn struct {
	Stage  crmcore.Stage
	Cards  []kanbanCard
	Total  int
	More   string
	MoreN  int
	Capped bool
}

// kanbanBody is the read-only board of one pipeline: the deals the user
// may read (crmcore applies the access rules) matching the search.
type kanbanBody struct {
	Pipeline     crmcore.Pipeline
	Columns      []kanbanColumn
	Shown, Total int
	Q            string
	Mine         bool // only the user's own deals
	Manager      bool // the user sees own and observed deals only
	// Missing names a pipeline asked for that is not a deal pipeline;
	// Boards then lists those there are.
	Missing string
	Boards  []option
}

// kanbanPage shows a pipeline's deals by stage, newest first: ?q= finds
// titles, ?mine=1 keeps the user's own deals, ?cards_<stage>=N shows N
// cards of that stage.
func (s *handlers) kanbanPage(c *fiber.Ctx) error {
	pl, err := s.dealPipeline(c, c.Params("pipeline"))
	if e := apperr.As(err); e != nil && e.Kind == apperr.NotFound {
		return s.kanbanMissing(c, c.Params("pipeline"))
	}
	if err != nil {
		return err
	}
	p := server.Principal(c)
	body := &kanbanBody{Pipeline: pl, Q: c.Query("q"), Mine: c.Query("mine") == "1", Manager: p.Role == domain.RoleManager}
	filter := crmcore.DealFilter{Pipeline: pl.Code, Q: body.Q}
	if body.Mine {
		filter.ResponsibleID = p.UserID
	}
	day := today()
	for _, st := range pl.Stages {
		want := min(max(kanbanCards, queryInt(c, "cards_"+st.Code)), kanbanMaxCards)
		filter.Stage = st.Code
		deals, total, err := s.stageDeals(c, filter, want)
		if err != nil {
			return err
		}
		col := kanbanColumn{Stage: st, Total: total}
		for _, d := range deals {
			col.Cards = append(col.Cards, kanbanCard{Deal: d, Whose: whose(p, d), Overdue: closeOverdue(d, day)})
		}
		if n := min(kanbanStep, total-len(deals), kanbanMaxCards-len(deals)); n > 0 {
			col.More, col.MoreN = moreLink(c, st.Code, len(deals)+n), n
		}
		col.Capped = col.More == "" && len(deals) < total
		body.Columns = append(body.Columns, col)
		body.Shown, body.Total = body.Shown+len(deals), body.Total+total
	}
	if err := s.markIdle(c, body.Columns); err != nil {
		return err
	}
	d := s.newPage(c, "kanban")
	d.Title = d.T("kanban") + ": " + pl.Name
	d.Body = body
	return render(c, "kanban", d)
}

// kanbanMissing is the 404 page of a board that does not exist, in the
// reader's language, with links to the boards there are.
func (s *handlers) kanbanMissing(c *fiber.Ctx, code string) error {
	pls, err := s.Store.Pipelines(c.UserContext())
	if err != nil {
		return err
	}
	body := &kanbanBody{Missing: clip(code)}
	for _, pl := range pls {
		if pl.Entity == "deal" {
			body.Boards = append(body.Boards, option{pl.Code, pl.Name})
		}
	}
	d := s.newPage(c, "kb_missing")
	d.Body = body
	c.Status(fiber.StatusNotFound)
	return render(c, "kanban", d)
}

// dealPipeline is the deal pipeline with this code; 404 otherwise.
func (s *handlers) dealPipeline(c *fiber.Ctx, code string) (crmcore.Pipeline, error) {
	pls, err := s.Store.Pipelines(c.UserContext())
	if err != nil {
		return crmcore.Pipeline{}, err
	}
	for _, pl := range pls {
		if pl.Code == code && pl.Entity == "deal" {
			return pl, nil
		}
	}
	return crmcore.Pipeline{}, apperr.New(apperr.NotFound, "not_found", "no such pipeline")
}

// stageDeals reads up to want deals of f, a list page at a time, and
// how many match in all.
func (s *handlers) stageDeals(c *fiber.Ctx, f crmcore.DealFilter, want int) ([]crmcore.Deal, int, error) {
	var out []crmcore.Deal
	for {
		f.Offset, f.Limit = len(out), min(want-len(out), crmcore.ListLimitMax)
		page, total, err := s.Store.ListDeals(c.UserContext(), server.Principal(c), f)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, page...)
		if len(out) >= want || len(out) >= total || len(page) == 0 {
			return out, total, nil
		}
	}
}

// markIdle reads the idleness of the board's open deals (crmcore/stale:
// one statement for every card) onto their cards.
func (s *handlers) markIdle(c *fiber.Ctx, cols []kanbanColumn) error {
	var ids []int64
	for _, col := range cols {
		for _, k := range col.Cards {
			ids = append(ids, k.ID)
		}
	}
	idle, err := stale.Of(c.UserContext(), s.Store.DB(), s.Store.Now(), ids)
	if err != nil {
		return err
	}
	for i := range cols {
		for j := range cols[i].Cards {
			if d, ok := idle[cols[i].Cards[j].ID]; ok {
				cols[i].Cards[j].Idle = &d
			}
		}
	}
	return nil
}

// dayForms are the forms of «день» after a number (i18n.Counted).
var dayForms = [3]i18n.Text{i18n.T("день", "day"), i18n.T("дня", "days"), i18n.T("дней", "days")}

// StaleShort is a stale card's label: «12 дн. без активности».
func (d *pageData) StaleShort(idle *stale.Deal) string {
	return fmt.Sprintf(d.T("kb_stale_short"), idle.Days)
}

// StaleLine says why a deal is stale: «Сделка застоялась: 12 дней без
// активности (правило стадии: 7)» (the card's tooltip, the deal page).
func (d *pageData) StaleLine(idle *stale.Deal) string {
	days := i18n.Counted(d.Lang, int64(idle.Days), dayForms[0], dayForms[1], dayForms[2])
	return fmt.Sprintf(d.T("deal_stale"), days, *idle.Rule)
}

// whose says whose deal d is for p.
func whose(p domain.Principal, d crmcore.Deal) string {
	switch {
	case d.ResponsibleID == p.UserID:
		return whoseOwn
	case slices.Contains(d.Observers, p.UserID):
		return whoseObserved
	}
	return whoseColleague
}

// moreLink is this page's address with stage's column showing n cards,
// the other columns and the search as they are.
func moreLink(c *fiber.Ctx, stage string, n int) string {
	args := &fasthttp.Args{}
	c.Request().URI().QueryArgs().CopyTo(args)
	args.Set("cards_"+stage, strconv.Itoa(n))
	return c.Path() + "?" + args.String() + "#stage-" + stage
}

// queryInt is a positive number from the query, else 0.
func queryInt(c *fiber.Ctx, key string) int {
	n, err := strconv.Atoi(c.Query(key))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// CardLabel says on a card whose deal it is (templates).
func (d *pageData) CardLabel(k kanbanCard) string {
	switch k.Whose {
	case whoseOwn:
		return d.T("kb_own")
	case whoseObserved:
		return fmt.Sprintf(d.T("kb_observed"), k.ResponsibleName)
	}
	return fmt.Sprintf(d.T("kb_colleague"), k.ResponsibleName)
}

// StageTitle describes a stage: its kind in words and its probability.
func (d *pageData) StageTitle(st crmcore.Stage) string {
	return fmt.Sprintf(d.T("kb_stage_title"), d.T("kb_kind_"+st.Kind), st.Probability)
}

// The deal page: a card's deal, read-only.

// dealLists is how many activities, invoices and payments the deal page
// lists at most (the newest); the headings say how many there are.
const dealLists = 200

// dealBody is the deal page: the deal, whose it is, its stage history,
// activities, invoices and payments, read with the user's access.
// Missing is set instead for a deal the user may not read (or that does
// not exist): the page then says so, with status 404.
type dealBody struct {
	Missing      bool
	Deal         crmcore.Deal
	Pipeline     crmcore.Pipeline
	Stage        crmcore.Stage
	Whose        string
	CloseOverdue bool        // the expected close date has passed, the deal is open
	Idle         *stale.Deal // an open deal's idleness (nil: closed)
	// Forecast is the deal's forecast category: its options (the stage's
	// by default, then each category), one selected; Edit when the user
	// may change the deal (static/deal.js saves a choice through PATCH
	// /api/v1/deals/{id}).
	Forecast struct {
		Options []dealOption
		Text    string // the selected option's label
		Edit    bool
	}
	Observers        []string
	Company, Contact string
	History          []crmcore.StageChange
	Activities       []crmcore.Activity
	Invoices         []crmcore.Invoice
	Payments         []dealPayment
	ActivitiesTotal  int
	InvoicesTotal    int
	PaymentsTotal    int
	// Merge is set for a director or admin: the page offers to merge
	// another deal into this one (static/deal.js, POST /api/v1/deals/merge).
	// Merged are the deals merged into it, newest first.
	Merge  bool
	Merged []dealMerged
	users  map[int64]string
}

// dealMerged is a deal merged into the page's deal, from the merge log
// (Title empty for a manager, who may not have seen that deal).
type dealMerged struct {
	ID    int64
	Title string
	At    time.Time
}

// dealOption is an option of a select on the deal page.
type dealOption struct {
	Value, Label string
	Selected     bool
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
	body := &dealBody{Deal: deal, Whose: whose(p, deal), CloseOverdue: closeOverdue(deal, today())}
	idle, err := stale.Of(ctx, s.Store.DB(), s.Store.Now(), []int64{id})
	if err != nil {
		return err
	}
	if i, ok := idle[id]; ok {
		body.Idle = &i
	}
	body.forecastOptions(d)
	if err := s.Store.CheckDealWrite(ctx, p, id); err == nil {
		body.Forecast.Edit = true
	} else if e := apperr.As(err); e == nil || e.Kind != apperr.Forbidden {
		return err
	}
	if err := s.dealParts(c, body); err != nil {
		return err
	}
	if err := s.dealMerges(c, body); err != nil {
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

// dealMerges reads the deals merged into b's deal (their titles as the
// merge log kept them) and whether the user may merge one more.
func (s *handlers) dealMerges(c *fiber.Ctx, b *dealBody) error {
	p := server.Principal(c)
	b.Merge = p.CanWriteAll()
	merges, err := s.Store.MergeHistory(c.UserContext(), p, crmcore.EntityDeal, b.Deal.ID)
	if err != nil {
		return err
	}
	for _, m := range merges {
		var row struct{ Title string }
		if m.MergedRow != nil { // a manager is not shown the merged row
			if err := json.Unmarshal(m.MergedRow, &row); err != nil {
				return fmt.Errorf("merge %d: the merged row: %w", m.ID, err)
			}
		}
		b.Merged = append(b.Merged, dealMerged{ID: m.MergedID, Title: row.Title, At: m.MergedAt})
	}
	return nil
}

// forecastOptions fills the forecast category's options: "" (none set:
// the category of the stage's probability, named) and each category,
// the deal's selected.
func (b *dealBody) forecastOptions(d *pageData) {
	set := ""
	if b.Deal.ForecastCategory != nil {
		set = *b.Deal.ForecastCategory
	}
	auto := fmt.Sprintf(d.T("deal_fc_auto"), d.T("deal_fc_"+b.Deal.ForecastCategoryAuto))
	b.Forecast.Options = []dealOption{{Value: "", Label: auto, Selected: set == ""}}
	for _, c := range domain.ForecastCategories {
		b.Forecast.Options = append(b.Forecast.Options, dealOption{Value: c, Label: d.T("deal_fc_" + c), Selected: set == c})
	}
	for _, o := range b.Forecast.Options {
		if o.Selected {
			b.Forecast.Text = o.Label
		}
	}
}

// UserName is a user's name by id (templates).
func (b *dealBody) UserName(id int64) string { return b.users[id] }

// DealProbability is a whole percentage as the reader writes it ("20 %").
func (d *pageData) DealProbability(p int) string { return i18n.Percent(d.Lang, float64(p)/100, 0) }

// DealListCount is the size of a list the deal page shows: n, or "the latest
// n of total" when it shows only the newest.
func (d *pageData) DealListCount(n, total int) string {
	if n < total {
		return fmt.Sprintf(d.T("deal_list_count"), n, total)
	}
	return strconv.Itoa(n)
}

// A deal's expected close date on its card and its page (issue 17): a
// calendar date, written as the reader writes dates, and overdue when
// it has passed in Moscow while the deal is still open.

// today is the date in Moscow now, as YYYY-MM-DD.
func today() string { return time.Now().In(moscow).Format(time.DateOnly) }

// closeOverdue reports whether d's expected close date is before today
// (YYYY-MM-DD) and d is not closed (won or lost).
func closeOverdue(d crmcore.Deal, today string) bool {
	return d.ExpectedCloseAt != nil && d.ClosedAt == nil && *d.ExpectedCloseAt < today
}

// CloseDate writes an expected close date (YYYY-MM-DD) as the reader
// does: 31.03.2026 in Russian, 2026-03-31 in English (templates).
func (d *pageData) CloseDate(day *string) string {
	if day == nil {
		return ""
	}
	t, err := time.Parse(time.DateOnly, *day)
	if err != nil {
		return *day
	}
	return i18n.Date(d.Lang, t)
}
