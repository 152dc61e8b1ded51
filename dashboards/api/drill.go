package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/kinds"
)

// drillRoutes list the drill-downs: the records behind a number of a
// grouped report and the deals behind a funnel step, run by eng under
// the caller's access (nil answers 503).
func drillRoutes(eng *engine.Engine) []server.Route {
	return []server.Route{
		{Method: "POST", Path: "/reports/drill", Summary: "The records behind one cell (or total) of a grouped report's answer",
			Status: 200, Handler: reportDrill(eng), Body: kinds.DrillRequest{}, Answer: kinds.DrillResult{}},
		{Method: "POST", Path: "/funnels/drill", Summary: "The deals behind one funnel step: reached, lost or current",
			Status: 200, Handler: funnelDrill(eng), Body: kinds.FunnelDrillRequest{}, Answer: kinds.DrillResult{}},
	}
}

func reportDrill(eng *engine.Engine) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := server.ReportsReady(eng); err != nil {
			return err
		}
		var req kinds.DrillRequest
		if err := server.DecodeJSON(c, &req); err != nil {
			return err
		}
		res, err := eng.Drill(c.UserContext(), server.Principal(c), req.Definition, req.Cell, req.DrillOptions)
		return answerJSON(c, fiber.StatusOK, res, err)
	}
}

func funnelDrill(eng *engine.Engine) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := server.ReportsReady(eng); err != nil {
			return err
		}
		var req kinds.FunnelDrillRequest
		if err := server.DecodeJSON(c, &req); err != nil {
			return err
		}
		res, err := eng.FunnelDrill(c.UserContext(), server.Principal(c), req)
		return answerJSON(c, fiber.StatusOK, res, err)
	}
}
