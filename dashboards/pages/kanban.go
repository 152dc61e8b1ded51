package pages

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/apperr"
)

// kanbanColumn is one stage with the deals in it (the newest
// kanbanCards of Total).
type kanbanColumn struct {
	Stage crmcore.Stage
	Deals []crmcore.Deal
	Total int
}

// kanbanCards is how many cards a column shows at most.
const kanbanCards = 50

// kanbanBody is the read-only board of one pipeline.
type kanbanBody struct {
	Pipeline     crmcore.Pipeline
	Columns      []kanbanColumn
	Shown, Total int
}

// kanbanPage shows a pipeline's deals by stage: only the deals the
// signed-in user may read (crmcore applies the access rules), newest
// first, up to kanbanCards per stage.
func (s *handlers) kanbanPage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	pls, err := s.Store.Pipelines(ctx)
	if err != nil {
		return err
	}
	body := &kanbanBody{}
	for _, pl := range pls {
		if pl.Code == c.Params("pipeline") && pl.Entity == "deal" {
			body.Pipeline = pl
		}
	}
	if body.Pipeline.Code == "" {
		return apperr.New(apperr.NotFound, "not_found", "no such pipeline")
	}
	for _, st := range body.Pipeline.Stages {
		deals, total, err := s.Store.ListDeals(ctx, server.Principal(c),
			crmcore.DealFilter{Pipeline: body.Pipeline.Code, Stage: st.Code, Limit: kanbanCards})
		if err != nil {
			return err
		}
		body.Columns = append(body.Columns, kanbanColumn{Stage: st, Deals: deals, Total: total})
		body.Shown, body.Total = body.Shown+len(deals), body.Total+total
	}
	d := s.newPage(c, "kanban")
	d.Title = d.T("kanban") + ": " + body.Pipeline.Name
	d.Body = body
	return render(c, "kanban", d)
}
