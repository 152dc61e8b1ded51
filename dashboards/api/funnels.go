package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
)

// funnelRoutes lists the funnel endpoint, run by eng (the server's report
// engine; nil answers 503). Any signed-in user may run a funnel: the
// engine restricts it to the deals the caller may see.
func funnelRoutes(eng *engine.Engine) []server.Route {
	return []server.Route{
		{Method: "POST", Path: "/funnels/run", Summary: "Run a sales funnel: reached (cohort conversion) or current (snapshot at as_of)",
			Status: 200, Handler: funnelHandler(eng), Body: reports.FunnelRequest{}, Answer: reports.Funnel{}},
	}
}

// funnelHandler decodes the request strictly and runs it for the caller.
func funnelHandler(eng *engine.Engine) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := server.ReportsReady(eng); err != nil {
			return err
		}
		var req reports.FunnelRequest
		if err := server.DecodeJSON(c, &req); err != nil {
			return err
		}
		f, err := eng.Funnel(c.UserContext(), server.Principal(c), req)
		if err != nil {
			return err
		}
		return c.JSON(f)
	}
}
