package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// list is the shape of every collection answer.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit,omitempty"`
	Offset int `json:"offset,omitempty"`
}

func (s *handlers) pipelineRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/pipelines", Summary: "Pipelines with their stages and allowed transitions",
			Handler: s.listPipelines, Answer: list[crmcore.Pipeline]{}},
		{Method: "POST", Path: "/pipelines", Summary: "Create a pipeline (admin)", Roles: []domain.Role{domain.RoleAdmin},
			Handler: s.createPipeline, Body: crmcore.Pipeline{}, Answer: crmcore.Pipeline{}},
		{Method: "PATCH", Path: "/pipelines/:code/stages/:id", Summary: "Set a stage's stale-deal rule: stale_days > 0, or null for none (admin, director)",
			Roles: []domain.Role{domain.RoleAdmin, domain.RoleDirector}, Handler: s.patchStage, Body: crmcore.StagePatch{}, Answer: crmcore.Pipeline{}},
	}
}

func (s *handlers) listPipelines(c *fiber.Ctx) error {
	ps, err := s.Store.Pipelines(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list[crmcore.Pipeline]{Items: ps, Total: len(ps)})
}

func (s *handlers) createPipeline(c *fiber.Ctx) error {
	var in crmcore.Pipeline
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.Store.CreatePipeline(c.UserContext(), server.Principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

// patchStage sets a stage's stale-deal rule; the body must name
// stale_days (null clears the rule).
func (s *handlers) patchStage(c *fiber.Ctx) error {
	var in crmcore.StagePatch
	id, err := idAndBody(c, "stage", &in)
	if err != nil {
		return err
	}
	var present map[string]json.RawMessage
	if json.Unmarshal(c.Body(), &present) != nil || present["stale_days"] == nil {
		return apperr.Field("stale_days", "required", "give stale_days: a number of days, or null for no rule")
	}
	pl, err := s.Store.SetStaleDays(c.UserContext(), server.Principal(c), c.Params("code"), id, in.StaleDays)
	return answerJSON(c, fiber.StatusOK, pl, err)
}
