package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
)

// leadRoutes: leads, their statuses and conversion into deals. A manager
// reads and changes the leads they are responsible for; others are 404.
func (s *handlers) leadRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/leads", Summary: "Leads the caller may read, newest first",
			Handler: s.listLeads, Answer: list[crmcore.Lead]{},
			Query: []string{"status", "source", "responsible_id", "q", "limit", "offset"}},
		{Method: "POST", Path: "/leads", Summary: "Record a lead in status new (409 possible_duplicate unless confirm_duplicate=true)",
			Handler: createDedup(s.Store.CheckLeadDuplicate, s.Store.CreateLead), Body: crmcore.NewLead{}, Answer: crmcore.Lead{},
			Query: []string{confirmParam}},
		{Method: "GET", Path: "/leads/:id", Summary: "One lead",
			Handler: s.getLead, Answer: crmcore.Lead{}},
		{Method: "PATCH", Path: "/leads/:id", Summary: "Change a lead's title, source, contact or company",
			Handler: s.updateLead, Body: crmcore.LeadPatch{}, Answer: crmcore.Lead{}},
		{Method: "POST", Path: "/leads/:id/status", Status: 200, Summary: "Change a lead's status (disqualification needs a reason)",
			Handler: s.setLeadStatus, Body: crmcore.LeadStatusChange{}, Answer: crmcore.Lead{}},
		{Method: "POST", Path: "/leads/:id/convert", Summary: "Convert a lead into a deal (201 the new deal)",
			Handler: s.convertLead, Body: crmcore.LeadConvert{}, Answer: crmcore.Deal{}},
	}
}

func (s *handlers) listLeads(c *fiber.Ctx) error {
	f := crmcore.LeadFilter{Status: c.Query("status"), Source: c.Query("source"), Q: c.Query("q")}
	var err error
	if f.ResponsibleID, err = queryIDParam(c, "responsible_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListLeads(c.UserContext(), server.Principal(c), f)
	return answerJSON(c, fiber.StatusOK, list[crmcore.Lead]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset}, err)
}

func (s *handlers) getLead(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "lead")
	if err != nil {
		return err
	}
	l, err := s.Store.GetLead(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, l, err)
}

func (s *handlers) updateLead(c *fiber.Ctx) error {
	var in crmcore.LeadPatch
	id, err := idAndBody(c, "lead", &in)
	if err != nil {
		return err
	}
	l, err := s.Store.UpdateLead(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, l, err)
}

func (s *handlers) setLeadStatus(c *fiber.Ctx) error {
	var in crmcore.LeadStatusChange
	id, err := idAndBody(c, "lead", &in)
	if err != nil {
		return err
	}
	l, err := s.Store.SetLeadStatus(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, l, err)
}

func (s *handlers) convertLead(c *fiber.Ctx) error {
	var in crmcore.LeadConvert
	id, err := idAndBody(c, "lead", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.ConvertLead(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusCreated, d, err)
}
