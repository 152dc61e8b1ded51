package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
)

// dealRoutes: deals, their stage moves, responsible, observers and
// history. Access rules live in crmcore: a record the caller may not read
// answers 404; a reader who may not change it gets 403.
func (s *Server) dealRoutes() []route {
	return []route{
		{method: "GET", path: "/deals", summary: "Deals the caller may read, newest first",
			handler: s.listDeals, answer: list[crmcore.Deal]{},
			query: []string{"pipeline", "stage", "responsible_id", "q", "limit", "offset"}},
		{method: "POST", path: "/deals", summary: "Open a deal in the first stage of a deal pipeline",
			handler: s.createDeal, body: crmcore.NewDeal{}, answer: crmcore.Deal{}},
		{method: "GET", path: "/deals/:id", summary: "One deal",
			handler: s.getDeal, answer: crmcore.Deal{}},
		{method: "PATCH", path: "/deals/:id", summary: "Change a deal's title, amount, currency, company, contact or source",
			handler: s.updateDeal, body: crmcore.DealPatch{}, answer: crmcore.Deal{}},
		{method: "POST", path: "/deals/:id/move", status: 200, summary: "Move a deal to another stage (409 transition_not_allowed when the pipeline forbids it)",
			handler: s.moveDeal, body: crmcore.DealMove{}, answer: crmcore.Deal{}},
		{method: "POST", path: "/deals/:id/assign", status: 200, summary: "Change the responsible (director, admin)",
			handler: s.assignDeal, body: crmcore.DealAssign{}, answer: crmcore.Deal{}},
		{method: "POST", path: "/deals/:id/observers", summary: "Add an observer (201 added, 200 already there)",
			handler: s.addObserver, body: crmcore.DealObserver{}, answer: crmcore.Deal{}},
		{method: "GET", path: "/deals/:id/history", summary: "The deal's stage changes, oldest first",
			handler: s.dealHistory, answer: list[crmcore.StageChange]{}},
	}
}

func (s *Server) listDeals(c *fiber.Ctx) error {
	f := crmcore.DealFilter{Pipeline: c.Query("pipeline"), Stage: c.Query("stage"), Q: c.Query("q")}
	var err error
	if f.ResponsibleID, err = queryIDParam(c, "responsible_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListDeals(c.UserContext(), principal(c), f)
	return answerJSON(c, fiber.StatusOK, list[crmcore.Deal]{Items: items, Total: total, Limit: f.Limit, Offset: f.Offset}, err)
}

func (s *Server) createDeal(c *fiber.Ctx) error {
	var in crmcore.NewDeal
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.Store.CreateDeal(c.UserContext(), principal(c), in)
	return answerJSON(c, fiber.StatusCreated, d, err)
}

func (s *Server) getDeal(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "deal")
	if err != nil {
		return err
	}
	d, err := s.Store.GetDeal(c.UserContext(), principal(c), id)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *Server) updateDeal(c *fiber.Ctx) error {
	var in crmcore.DealPatch
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.UpdateDeal(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *Server) moveDeal(c *fiber.Ctx) error {
	var in crmcore.DealMove
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.MoveDeal(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *Server) assignDeal(c *fiber.Ctx) error {
	var in crmcore.DealAssign
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, err := s.Store.AssignDeal(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, d, err)
}

func (s *Server) addObserver(c *fiber.Ctx) error {
	var in crmcore.DealObserver
	id, err := idAndBody(c, "deal", &in)
	if err != nil {
		return err
	}
	d, added, err := s.Store.AddObserver(c.UserContext(), principal(c), id, in)
	status := fiber.StatusOK
	if added {
		status = fiber.StatusCreated
	}
	return answerJSON(c, status, d, err)
}

func (s *Server) dealHistory(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "deal")
	if err != nil {
		return err
	}
	items, err := s.Store.DealHistory(c.UserContext(), principal(c), id)
	return answerJSON(c, fiber.StatusOK, list[crmcore.StageChange]{Items: items, Total: len(items)}, err)
}
