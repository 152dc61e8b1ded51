package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
)

// contactRoutes: the people of the shared directory (read by all,
// written by directoryWriters).
func (s *Server) contactRoutes() []route {
	return []route{
		{method: "GET", path: "/contacts", summary: "Contacts by name (q: part of the name, e-mail or phone; company_id)",
			handler: s.listContacts, answer: list[crmcore.Contact]{}, query: []string{"q", "company_id", "limit", "offset"}},
		{method: "POST", path: "/contacts", summary: "Add a contact", roles: directoryWriters,
			handler: createDedup(s.Store.CheckContactDuplicate, s.Store.CreateContact), body: crmcore.NewContact{}, answer: crmcore.Contact{},
			query: []string{confirmParam}},
		{method: "GET", path: "/contacts/:id", summary: "One contact",
			handler: getVia(s.Store.GetContact), answer: crmcore.Contact{}},
		{method: "PATCH", path: "/contacts/:id", summary: "Change a contact (empty string clears a field, id 0 a reference)",
			roles: directoryWriters, handler: patchVia(s.Store.UpdateContact), body: crmcore.ContactPatch{}, answer: crmcore.Contact{}},
	}
}

func (s *Server) listContacts(c *fiber.Ctx) error {
	f := crmcore.ContactFilter{Q: c.Query("q")}
	var err error
	if f.CompanyID, err = queryIDParam(c, "company_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListContacts(c.UserContext(), principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}
