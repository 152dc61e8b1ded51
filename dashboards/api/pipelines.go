package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
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
