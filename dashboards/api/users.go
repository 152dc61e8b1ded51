package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
)

func (s *handlers) userRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/users", Summary: "Users (to pick a responsible or an observer); a manager gets id, name, role and active, without e-mails",
			Handler: s.listUsers, Answer: list[crmcore.User]{}},
		{Method: "POST", Path: "/users", Summary: "Create a user (admin)", Roles: []domain.Role{domain.RoleAdmin},
			Handler: s.createUser, Body: crmcore.NewUser{}, Answer: crmcore.User{}},
		{Method: "PATCH", Path: "/users/:id", Summary: "Change a user's PBX extension or SIP login (admin; \"\" removes it)", Roles: []domain.Role{domain.RoleAdmin},
			Handler: patchVia(s.Store.UpdateUser), Body: crmcore.UserPatch{}, Answer: crmcore.User{}},
	}
}

// listUsers lists the users; a manager needs only whom to pick, so gets
// no e-mails (nor creation times) of colleagues.
func (s *handlers) listUsers(c *fiber.Ctx) error {
	us, err := s.Store.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	if server.Principal(c).Role == domain.RoleManager {
		names := make([]userName, len(us))
		for i, u := range us {
			names[i] = userName{ID: u.ID, Name: u.Name, Role: u.Role, Active: u.Active}
		}
		return c.JSON(list[userName]{Items: names, Total: len(names)})
	}
	return c.JSON(list[crmcore.User]{Items: us, Total: len(us)})
}

// userName is a user as a manager sees one: who, not how to reach them.
type userName struct {
	ID     int64       `json:"id"`
	Name   string      `json:"name"`
	Role   domain.Role `json:"role"`
	Active bool        `json:"active"`
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
