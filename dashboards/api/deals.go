package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
)

// dealRoutes: deals, their stage moves, responsible, observers and
// history. Access rules live in crmcore: a record the caller may not read
// answers 404; a reader who may not change it gets 403.
func (s *handlers) dealRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/deals", Summary: "Deals the caller may read, newest first",
			Handler: s.listDeals, Answer: list[crmcore.Deal]{},
			Query: []string{"pipeline", "stage", "responsible_id", "q", "limit", "offset"}},
		{Method: "POST", Path: "/deals", Summary: "Open a deal in the first stage of a deal pipeline",
			Handler: s.createDeal, Body: crmcore.NewDeal{}, Answer: crmcore.Deal{}},
		{Method: "POST", Path: "/deals/merge", Status: 200,
			Summary: "Merge deal merge_id into keep_id (director, admin; one pipeline; the merged deal not won): its activities, items, invoices, observers and leads move, its stage history is deleted with it and kept in the merge log",
			Handler: s.mergeDeals, Body: crmcore.DealMerge{}, Answer: crmcore.Merge{}},
		{Method: "GET", Path: "/deals/:id", Summary: "One deal",
			Handler: s.getDeal, Answer: crmcore.Deal{}},
		{Method: "PATCH", Path: "/deals/:id", Summary: "Change a deal's title, amount, currency, company, contact or source",
			Handler: s.updateDeal, Body: crmcore.DealPatch{}, Answer: crmcore.Deal{}},
		{Method: "POST", Path: "/deals/:id/move", Status: 200, Summary: "Move a deal to another stage (409 transition_not_allowed when the pipeline forbids it)",
			Handler: s.moveDeal, Body: crmcore.DealMove{}, Answer: crmcore.Deal{}},
		{Method: "POST", Path: "/deals/:id/assign", Status: 200, Summary: "Change the responsible (director, admin)",
			Handler: s.assignDeal, Body: crmcore.DealAssign{}, Answer: crmcore.Deal{}},
		{Method: "POST", Path: "/deals/:id/observers", Summary: "Add an observer (201 added, 200 already there)",
			Handler: s.addObserver, Body: crmcore.DealObserver{}, Answer: crmcore.Deal{}},
		{Method: "GET", Path: "/deals/:id/history", Summary: "The deal's stage changes, oldest first",
			Handler: s.dealHistory, Answer: list[crmcore.StageChange]{}},
	}
}

func (s *handlers) listDeals(c *fiber.Ctx) error {
	f := crmcore.DealFilter{Pipeline: c.Query("pipeline"), Stage: c.Query("stage"), Q: c.Query("q")}
	var err error
	if f.ResponsibleID, err = queryIDParam(c, "responsible_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListDeals(c.UserContext(), server.Principal(c), f)
	return answerJSON(c, fiber.StatusOK, list[crmcore.Deal]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset}, err)
}

func (s *handlers) createDeal(c *fiber.Ctx) error {
	var in crmcore.NewDeal
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.Store.CreateDeal(c.UserContext(), server.Principal(c), in)
	return answerJSON(c, fiber.StatusCreated, d, err)
}

func (s *handlers) mergeDeals(c *fiber.Ctx) error {
	var in crmcore.DealMerge
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.Store.MergeDeals(c.UserContext(), server.Principal(c), in)
	return answerJSON(c, fiber.StatusOK, m, err)
}

func (s *handlers) getDeal(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "deal")
	if err != nil {
		return err
	}
	d, err := s.Store.GetDeal(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *handlers) updateDeal(c *fiber.Ctx) error {
	var in crmcore.DealPatch
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.UpdateDeal(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *handlers) moveDeal(c *fiber.Ctx) error {
	var in crmcore.DealMove
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.MoveDeal(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *handlers) assignDeal(c *fiber.Ctx) error {
	var in crmcore.DealAssign
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.AssignDeal(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *handlers) addObserver(c *fiber.Ctx) error {
	var in crmcore.DealObserver
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, added, err := s.Store.AddObserver(c.UserContext(), server.Principal(c), id, in)
	status := fiber.StatusOK
	if added {
		status = fiber.StatusCreated
	}
	return answerJSON(c, status, d, err)
}

func (s *handlers) dealHistory(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "deal")
	if err != nil {
		return err
	}
	items, err := s.Store.DealHistory(c.UserContext(), server.Principal(c), id)
	return answerJSON(c, fiber.StatusOK, list[crmcore.StageChange]{Items: items, Total: len(items)}, err)
}
