package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// productRoutes: the price list (read by all, written by admins and
// directors) and the product lines of deals (access as the deal). Served
// as part of billingRoutes.
func (s *Server) productRoutes() []route {
	return []route{
		{method: "GET", path: "/products", summary: "The price list by name (q: part of the name or SKU)",
			handler: s.listProducts, answer: list[crmcore.Product]{}, query: []string{"q", "limit", "offset"}},
		{method: "POST", path: "/products", summary: "Add a product (admin, director)",
			roles:   []domain.Role{domain.RoleAdmin, domain.RoleDirector},
			handler: createVia(s.Store.CreateProduct), body: crmcore.NewProduct{}, answer: crmcore.Product{}},
		{method: "GET", path: "/deals/:id/items", summary: "The product lines of a deal",
			handler: s.dealItems, answer: list[crmcore.DealItem]{}},
		{method: "POST", path: "/deals/:id/items", summary: "Add a product line to a deal (price defaults to the product's); 201",
			roles: nonAnalysts, handler: s.addDealItem, body: crmcore.NewDealItem{}, answer: crmcore.DealItem{}},
	}
}

func (s *Server) listProducts(c *fiber.Ctx) error {
	f := crmcore.ProductFilter{Q: c.Query("q")}
	var err error
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListProducts(c.UserContext(), principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

func (s *Server) dealItems(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "record")
	if err != nil {
		return err
	}
	items, err := s.Store.DealItems(c.UserContext(), principal(c), id)
	return sendPage(c, items, len(items), 0, 0, err)
}

func (s *Server) addDealItem(c *fiber.Ctx) error {
	id, err := pathRecordID(c, "record")
	if err != nil {
		return err
	}
	var in crmcore.NewDealItem
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	item, err := s.Store.AddDealItem(c.UserContext(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(item)
}
