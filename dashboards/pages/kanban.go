package pages

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
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

// kanbanCard is one deal on the board and whose it is.
type kanbanCard struct {
	crmcore.Deal
	Whose string
}

// kanbanColumn is one stage with its newest cards (Total in all) and the
// link that shows MoreN more ("" when every card is shown).
type kanbanColumn struct {
	Stage crmcore.Stage
	Cards []kanbanCard
	Total int
	More  string
	MoreN int
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
}

// kanbanPage shows a pipeline's deals by stage, newest first: ?q= finds
// titles, ?mine=1 keeps the user's own deals, ?cards_<stage>=N shows N
// cards of that stage.
func (s *handlers) kanbanPage(c *fiber.Ctx) error {
	pl, err := s.dealPipeline(c, c.Params("pipeline"))
	if err != nil {
		return err
	}
	p := server.Principal(c)
	body := &kanbanBody{Pipeline: pl, Q: c.Query("q"), Mine: c.Query("mine") == "1", Manager: p.Role == domain.RoleManager}
	filter := crmcore.DealFilter{Pipeline: pl.Code, Q: body.Q}
	if body.Mine {
		filter.ResponsibleID = p.UserID
	}
	for _, st := range pl.Stages {
		want := min(max(kanbanCards, queryInt(c, "cards_"+st.Code)), kanbanMaxCards)
		filter.Stage = st.Code
		deals, total, err := s.stageDeals(c, filter, want)
		if err != nil {
			return err
		}
		col := kanbanColumn{Stage: st, Total: total}
		for _, d := range deals {
			col.Cards = append(col.Cards, kanbanCard{d, whose(p, d)})
		}
		if n := min(kanbanStep, total-len(deals), kanbanMaxCards-len(deals)); n > 0 {
			col.More, col.MoreN = moreLink(c, st.Code, len(deals)+n), n
		}
		body.Columns = append(body.Columns, col)
		body.Shown, body.Total = body.Shown+len(deals), body.Total+total
	}
	d := s.newPage(c, "kanban")
	d.Title = d.T("kanban") + ": " + pl.Name
	d.Body = body
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
