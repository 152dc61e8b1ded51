package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// list is the shape of every collection answer.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit,omitempty"`
	Offset int `json:"offset,omitempty"`
}

func (s *Server) pipelineRoutes() []route {
	return []route{
		{method: "GET", path: "/pipelines", summary: "Pipelines with their stages and allowed transitions",
			handler: s.listPipelines, answer: list[crmcore.Pipeline]{}},
		{method: "POST", path: "/pipelines", summary: "Create a pipeline (admin)", roles: []domain.Role{domain.RoleAdmin},
			handler: s.createPipeline, body: crmcore.Pipeline{}, answer: crmcore.Pipeline{}},
	}
}

func (s *Server) listPipelines(c *fiber.Ctx) error {
	ps, err := s.Store.Pipelines(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list[crmcore.Pipeline]{Items: ps, Total: len(ps)})
}

func (s *Server) createPipeline(c *fiber.Ctx) error {
	var in crmcore.Pipeline
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := s.Store.CreatePipeline(c.UserContext(), principal(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}
