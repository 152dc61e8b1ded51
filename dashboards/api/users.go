package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
)

func (s *handlers) userRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/users", Summary: "Users (to pick a responsible or an observer)",
			Handler: s.listUsers, Answer: list[crmcore.User]{}},
		{Method: "POST", Path: "/users", Summary: "Create a user (admin)", Roles: []domain.Role{domain.RoleAdmin},
			Handler: s.createUser, Body: crmcore.NewUser{}, Answer: crmcore.User{}},
	}
}

func (s *handlers) listUsers(c *fiber.Ctx) error {
	us, err := s.Store.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(list[crmcore.User]{Items: us, Total: len(us)})
}

func (s *handlers) createUser(c *fiber.Ctx) error {
	var in crmcore.NewUser
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.Store.CreateUser(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}
