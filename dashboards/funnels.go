package dashboards

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
)

// funnelRoutes lists the funnel endpoint, run by eng (the server's report
// engine; nil answers 503). Any signed-in user may run a funnel: the
// engine restricts it to the deals the caller may see.
func funnelRoutes(eng *engine.Engine) []route {
	return []route{
		{method: "POST", path: "/funnels/run", summary: "Run a sales funnel: reached (cohort conversion) or current (snapshot at as_of)",
			status: 200, handler: funnelHandler(eng), body: reports.FunnelRequest{}, answer: reports.Funnel{}},
	}
}

// funnelHandler decodes the request strictly and runs it for the caller.
func funnelHandler(eng *engine.Engine) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if eng == nil || eng.CH == nil {
			return apperr.New(apperr.Unavailable, "reports_unavailable", "the analytics store is not configured")
		}
		var req reports.FunnelRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		f, err := eng.Funnel(c.UserContext(), principal(c), req)
		if err != nil {
			return err
		}
		return c.JSON(f)
	}
}
