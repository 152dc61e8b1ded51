package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
)

// directoryWriters may change companies and contacts: the directory is
// shared, read by every signed-in user and written by all but analysts
// (crmcore/company.go explains why).
var directoryWriters = []domain.Role{domain.RoleAdmin, domain.RoleDirector, domain.RoleManager}

func (s *handlers) companyRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/companies", Summary: "Companies by name (q: part of the name)",
			Handler: s.listCompanies, Answer: list[crmcore.Company]{}, Query: []string{"q", "limit", "offset"}},
		{Method: "POST", Path: "/companies", Summary: "Add a company", Roles: directoryWriters,
			Handler: createDedup(s.Store.CheckCompanyDuplicate, s.Store.CreateCompany), Body: crmcore.NewCompany{}, Answer: crmcore.Company{},
			Query: []string{confirmParam}},
		{Method: "GET", Path: "/companies/:id", Summary: "One company",
			Handler: getVia(s.Store.GetCompany), Answer: crmcore.Company{}},
		{Method: "PATCH", Path: "/companies/:id", Summary: "Change a company (empty string clears a field)", Roles: directoryWriters,
			Handler: patchVia(s.Store.UpdateCompany), Body: crmcore.CompanyPatch{}, Answer: crmcore.Company{}},
	}
}

func (s *handlers) listCompanies(c *fiber.Ctx) error {
	f := crmcore.CompanyFilter{Q: c.Query("q")}
	var err error
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListCompanies(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

// createVia is the handler of a plain create: strict JSON body → store →
// 201 with the new record.
func createVia[In, Out any](create func(context.Context, domain.Principal, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := server.DecodeJSON(c, &in); err != nil {
			return err
		}
		out, err := create(c.UserContext(), server.Principal(c), in)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(out)
	}
}

// getVia is the handler of GET /things/:id.
func getVia[Out any](get func(context.Context, domain.Principal, int64) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathRecordID(c, "record")
		if err != nil {
			return err
		}
		out, err := get(c.UserContext(), server.Principal(c), id)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// patchVia is the handler of PATCH /things/:id.
func patchVia[In, Out any](patch func(context.Context, domain.Principal, int64, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathRecordID(c, "record")
		if err != nil {
			return err
		}
		var in In
		if err := server.DecodeJSON(c, &in); err != nil {
			return err
		}
		out, err := patch(c.UserContext(), server.Principal(c), id, in)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

// sendPage renders one page of a list, or returns err.
func sendPage[T any](c *fiber.Ctx, items []T, total, limit, offset int, err error) error {
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	return c.JSON(list[T]{Items: items, Total: total, Limit: limit, Offset: offset})
}
