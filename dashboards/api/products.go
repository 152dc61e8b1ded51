package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
)

// productRoutes: the price list (read by all, written by admins and
// directors) and the product lines of deals (access as the deal). Served
// as part of billingRoutes.
func (s *handlers) productRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/products", Summary: "The price list by name (q: part of the name or SKU)",
			Handler: s.listProducts, Answer: list[crmcore.Product]{}, Query: []string{"q", "limit", "offset"}},
		{Method: "POST", Path: "/products", Summary: "Add a product (admin, director)",
			Roles:   []domain.Role{domain.RoleAdmin, domain.RoleDirector},
			Handler: createVia(s.Store.CreateProduct), Body: crmcore.NewProduct{}, Answer: crmcore.Product{}},
		{Method: "GET", Path: "/deals/:id/items", Summary: "The product lines of a deal",
			Handler: s.dealItems, Answer: list[crmcore.DealItem]{}},
		{Method: "POST", Path: "/deals/:id/items", Summary: "Add a product line to a deal (price defaults to the product's); 201",
			Roles: nonAnalysts, Handler: s.addDealItem, Body: crmcore.NewDealItem{}, Answer: crmcore.DealItem{}},
	}
}

func (s *handlers) listProducts(c *fiber.Ctx) error {
	f := crmcore.ProductFilter{Q: c.Query("q")}
	var err error
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListProducts(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

func (s *handlers) dealItems(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "record")
	if err != nil {
		return err
	}
	items, err := s.Store.DealItems(c.UserContext(), server.Principal(c), id)
	return sendPage(c, items, len(items), 0, 0, err)
}

func (s *handlers) addDealItem(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "record")
	if err != nil {
		return err
	}
	var in crmcore.NewDealItem
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	item, err := s.Store.AddDealItem(c.UserContext(), server.Principal(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(item)
}
