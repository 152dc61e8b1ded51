package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
)

// planRoutes: sales plans (../shared/API.md, "Plans and forecasts"), set
// by directors and admins a metric and month at a time, read by all (a
// manager their own).
func (s *handlers) planRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/plans", Summary: "Plans by month, metric and pipeline (a manager sees their own)",
			Handler: s.listPlans, Answer: list[crmcore.Plan]{}, Query: []string{"month", "metric", "pipeline"}},
		{Method: "PUT", Path: "/plans", Summary: "Set the targets of one metric, month and pipeline (a null value removes one); all or nothing; idempotent",
			Roles:   []domain.Role{domain.RoleAdmin, domain.RoleDirector},
			Handler: s.setPlans, Body: crmcore.PlanSet{}, Answer: list[crmcore.Plan]{}},
	}
}

func (s *handlers) listPlans(c *fiber.Ctx) error {
	items, err := s.Store.ListPlans(c.UserContext(), server.Principal(c),
		crmcore.PlanFilter{Month: c.Query("month"), Metric: c.Query("metric"), Pipeline: c.Query("pipeline")})
	return sendPage(c, items, len(items), 0, 0, err)
}

func (s *handlers) setPlans(c *fiber.Ctx) error {
	var in crmcore.PlanSet
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	items, err := s.Store.SetPlans(c.UserContext(), server.Principal(c), in)
	return sendPage(c, items, len(items), 0, 0, err)
}
