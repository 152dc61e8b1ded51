package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
)

// leadRoutes: leads, their statuses and conversion into deals. A manager
// reads and changes the leads they are responsible for; others are 404.
func (s *Server) leadRoutes() []route {
	return []route{
		{method: "GET", path: "/leads", summary: "Leads the caller may read, newest first",
			handler: s.listLeads, answer: list[crmcore.Lead]{},
			query: []string{"status", "source", "responsible_id", "q", "limit", "offset"}},
		{method: "POST", path: "/leads", summary: "Record a lead in status new (409 possible_duplicate unless confirm_duplicate=true)",
			handler: createDedup(s.Store.CheckLeadDuplicate, s.Store.CreateLead), body: crmcore.NewLead{}, answer: crmcore.Lead{},
			query: []string{confirmParam}},
		{method: "GET", path: "/leads/:id", summary: "One lead",
			handler: s.getLead, answer: crmcore.Lead{}},
		{method: "PATCH", path: "/leads/:id", summary: "Change a lead's title, source, contact or company",
			handler: s.updateLead, body: crmcore.LeadPatch{}, answer: crmcore.Lead{}},
		{method: "POST", path: "/leads/:id/status", status: 200, summary: "Change a lead's status (disqualification needs a reason)",
			handler: s.setLeadStatus, body: crmcore.LeadStatusChange{}, answer: crmcore.Lead{}},
		{method: "POST", path: "/leads/:id/convert", summary: "Convert a lead into a deal (201 the new deal)",
			handler: s.convertLead, body: crmcore.LeadConvert{}, answer: crmcore.Deal{}},
	}
}

func (s *Server) listLeads(c *fiber.Ctx) error {
	f := crmcore.LeadFilter{Status: c.Query("status"), Source: c.Query("source"), Q: c.Query("q")}
	var err error
	if f.ResponsibleID, err = queryIDParam(c, "responsible_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListLeads(c.UserContext(), principal(c), f)
	return answerJSON(c, fiber.StatusOK, list[crmcore.Lead]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset}, err)
}

func (s *Server) getLead(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "lead")
	if err != nil {
		return err
	}
	l, err := s.Store.GetLead(c.UserContext(), principal(c), id)
	return answerJSON(c, fiber.StatusOK, l, err)
}

func (s *Server) updateLead(c *fiber.Ctx) error {
	var in crmcore.LeadPatch
	id, err := idAndBody(c, "lead", &in)
	if err != nil {
		return err
	}
	l, err := s.Store.UpdateLead(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, l, err)
}

func (s *Server) setLeadStatus(c *fiber.Ctx) error {
	var in crmcore.LeadStatusChange
	id, err := idAndBody(c, "lead", &in)
	if err != nil {
		return err
	}
	l, err := s.Store.SetLeadStatus(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, l, err)
}

func (s *Server) convertLead(c *fiber.Ctx) error {
	var in crmcore.LeadConvert
	id, err := idAndBody(c, "lead", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.ConvertLead(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusCreated, d, err)
}
