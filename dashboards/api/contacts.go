package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
)

// contactRoutes: the people of the shared directory (read by all,
// written by directoryWriters).
func (s *handlers) contactRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/contacts", Summary: "Contacts by name (q: part of the name, e-mail or phone; company_id)",
			Handler: s.listContacts, Answer: list[crmcore.Contact]{}, Query: []string{"q", "company_id", "limit", "offset"}},
		{Method: "POST", Path: "/contacts", Summary: "Add a contact", Roles: directoryWriters,
			Handler: createDedup(s.Store.CheckContactDuplicate, s.Store.CreateContact), Body: crmcore.NewContact{}, Answer: crmcore.Contact{},
			Query: []string{confirmParam}},
		{Method: "GET", Path: "/contacts/:id", Summary: "One contact",
			Handler: getVia(s.Store.GetContact), Answer: crmcore.Contact{}},
		{Method: "PATCH", Path: "/contacts/:id", Summary: "Change a contact (empty string clears a field, id 0 a reference)",
			Roles: directoryWriters, Handler: patchVia(s.Store.UpdateContact), Body: crmcore.ContactPatch{}, Answer: crmcore.Contact{}},
	}
}

func (s *handlers) listContacts(c *fiber.Ctx) error {
	f := crmcore.ContactFilter{Q: c.Query("q")}
	var err error
	if f.CompanyID, err = queryIDParam(c, "company_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListContacts(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}
