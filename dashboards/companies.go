package dashboards

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// directoryWriters may change companies and contacts: the directory is
// shared, read by every signed-in user and written by all but analysts
// (crmcore/company.go explains why).
var directoryWriters = []domain.Role{domain.RoleAdmin, domain.RoleDirector, domain.RoleManager}

func (s *Server) companyRoutes() []route {
	return []route{
		{method: "GET", path: "/companies", summary: "Companies by name (q: part of the name)",
			handler: s.listCompanies, answer: list[crmcore.Company]{}, query: []string{"q", "limit", "offset"}},
		{method: "POST", path: "/companies", summary: "Add a company", roles: directoryWriters,
			handler: createDedup(s.Store.CheckCompanyDuplicate, s.Store.CreateCompany), body: crmcore.NewCompany{}, answer: crmcore.Company{},
			query: []string{confirmParam}},
		{method: "GET", path: "/companies/:id", summary: "One company",
			handler: getVia(s.Store.GetCompany), answer: crmcore.Company{}},
		{method: "PATCH", path: "/companies/:id", summary: "Change a company (empty string clears a field)", roles: directoryWriters,
			handler: patchVia(s.Store.UpdateCompany), body: crmcore.CompanyPatch{}, answer: crmcore.Company{}},
	}
}

func (s *Server) listCompanies(c *fiber.Ctx) error {
	f := crmcore.CompanyFilter{Q: c.Query("q")}
	var err error
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListCompanies(c.UserContext(), principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

// createVia is the handler of a plain create: strict JSON body → store →
// 201 with the new record.
func createVia[In, Out any](create func(context.Context, domain.Principal, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		out, err := create(c.UserContext(), principal(c), in)
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
		out, err := get(c.UserContext(), principal(c), id)
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
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		out, err := patch(c.UserContext(), principal(c), id, in)
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
