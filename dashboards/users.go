package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

func (s *Server) userRoutes() []route {
	return []route{
		{method: "GET", path: "/users", summary: "Users (to pick a responsible or an observer)",
			handler: s.listUsers, answer: list[crmcore.User]{}},
		{method: "POST", path: "/users", summary: "Create a user (admin)", roles: []domain.Role{domain.RoleAdmin},
			handler: s.createUser, body: crmcore.NewUser{}, answer: crmcore.User{}},
	}
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	us, err := s.Store.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list[crmcore.User]{Items: us, Total: len(us)})
}

func (s *Server) createUser(c *fiber.Ctx) error {
	var in crmcore.NewUser
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.Store.CreateUser(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}
