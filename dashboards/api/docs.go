package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore/docs"
	"github.com/voronka/voronka/dashboards/server"
)

// docRoutes: the documents of a deal (crmcore/docs) — contracts with
// companies (read by everyone, like the directory), orders of deals and
// their acts (seen by whoever sees the deal).
func (s *handlers) docRoutes() []server.Route {
	d := docs.New(s.Store)
	return []server.Route{
		{Method: "GET", Path: "/contracts", Summary: "Contracts, the latest signed first",
			Handler: s.listContracts, Answer: list[docs.Contract]{}, Query: []string{"company_id", "limit", "offset"}},
		{Method: "POST", Path: "/contracts", Summary: "Record a contract with a company (number unique per company)", Roles: nonAnalysts,
			Handler: createVia(d.CreateContract), Body: docs.NewContract{}, Answer: docs.Contract{}},
		{Method: "GET", Path: "/contracts/:id", Summary: "One contract",
			Handler: getVia(d.GetContract), Answer: docs.Contract{}},
		{Method: "GET", Path: "/orders", Summary: "Orders of the deals the caller may see, newest first",
			Handler: s.listOrders, Answer: list[docs.Order]{}, Query: []string{"deal_id", "limit", "offset"}},
		{Method: "POST", Path: "/orders", Summary: "Record an order of a deal the caller may change, with the deal's products at the time", Roles: nonAnalysts,
			Handler: createVia(d.CreateOrder), Body: docs.NewOrder{}, Answer: docs.Order{}},
		{Method: "GET", Path: "/orders/:id", Summary: "One order, with the sum of its acts",
			Handler: getVia(d.GetOrder), Answer: docs.Order{}},
		{Method: "GET", Path: "/acts", Summary: "Acts on the deals the caller may see, the latest signed first",
			Handler: s.listActs, Answer: list[docs.Act]{}, Query: []string{"order_id", "limit", "offset"}},
		{Method: "POST", Path: "/acts", Summary: "Record an act on an order; an order's acts never add up to more than its amount", Roles: nonAnalysts,
			Handler: createVia(d.CreateAct), Body: docs.NewAct{}, Answer: docs.Act{}},
		{Method: "GET", Path: "/acts/:id", Summary: "One act",
			Handler: getVia(d.GetAct), Answer: docs.Act{}},
	}
}

func (s *handlers) listContracts(c *fiber.Ctx) error {
	var f docs.ContractFilter
	var err error
	if f.CompanyID, err = queryIDParam(c, "company_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := docs.New(s.Store).ListContracts(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

func (s *handlers) listOrders(c *fiber.Ctx) error {
	var f docs.OrderFilter
	var err error
	if f.DealID, err = queryIDParam(c, "deal_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := docs.New(s.Store).ListOrders(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

func (s *handlers) listActs(c *fiber.Ctx) error {
	var f docs.ActFilter
	var err error
	if f.OrderID, err = queryIDParam(c, "order_id"); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := docs.New(s.Store).ListActs(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}
