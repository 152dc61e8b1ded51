package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore/rates"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// rateWriters may set, remove and import currency rates.
var rateWriters = []domain.Role{domain.RoleAdmin, domain.RoleDirector}

// rateRoutes: currency rates by date (../shared/API.md, "Currency rates
// and the documents of a deal"), read by anyone signed in, set by
// directors and admins one at a time or from the Bank of Russia's files.
func (s *handlers) rateRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/currency-rates", Summary: "Currency rates (roubles per one unit) valid on some day of from..to, the one in force at from included; every currency but the rouble when none is named",
			Handler: s.listRates, Answer: list[rates.Rate]{}, Query: []string{"currency", "from", "to"}},
		{Method: "PUT", Path: "/currency-rates", Summary: "Set a currency's rate from a date on (upsert on currency and valid_from); reports convert deals created from that Moscow day at it; idempotent",
			Roles: rateWriters, Handler: s.putRate, Body: rates.Put{}, Answer: rates.Rate{}},
		{Method: "DELETE", Path: "/currency-rates/:currency/:valid_from", Summary: "Remove one dated rate (the days it covered take the rate before it); a currency's only rate stays (409 last_rate)",
			Roles: rateWriters, Handler: s.deleteRate},
		{Method: "POST", Path: "/currency-rates/import", Status: 200, Roles: rateWriters,
			Summary: "Import a Bank of Russia XML_daily.asp or XML_dynamic.asp file (Windows-1251; the raw body or multipart field file) in one transaction: currencies Voronka knows are upserted, others skipped; currency= names a dynamic file's currency the bank's id does not",
			Handler: s.importRates, Answer: rates.Summary{}, Query: []string{"currency"}},
	}
}

func (s *handlers) rateStore() rates.Store { return rates.Store{DB: s.Store.DB()} }

func (s *handlers) listRates(c *fiber.Ctx) error {
	items, err := s.rateStore().List(c.UserContext(), rates.Filter{Currency: c.Query("currency"), From: c.Query("from"), To: c.Query("to")})
	return sendPage(c, items, len(items), 0, 0, err)
}

func (s *handlers) putRate(c *fiber.Ctx) error {
	var in rates.Put
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.rateStore().Put(c.UserContext(), server.Principal(c), in)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *handlers) deleteRate(c *fiber.Ctx) error {
	if err := s.rateStore().Delete(c.UserContext(), server.Principal(c), c.Params("currency"), c.Params("valid_from")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *handlers) importRates(c *fiber.Ctx) error {
	data, _, err := importBody(c)
	if err != nil {
		return err
	}
	f, err := rates.Parse(data, c.Query("currency"))
	var pe *rates.ParseError
	if errors.As(err, &pe) {
		return apperr.Field("file", "invalid_rate_file", pe.Error())
	}
	if err != nil {
		return err
	}
	sum, err := s.rateStore().Import(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(sum)
}
