package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/kinds"
	"github.com/voronka/voronka/reports/xlsx"
)

// drillRoutes list the drill-downs: the records behind a number of a
// grouped report and the deals behind a funnel step, run by eng under
// the caller's access (nil answers 503), as JSON or as a workbook.
func drillRoutes(eng *engine.Engine) []server.Route {
	return []server.Route{
		{Method: "POST", Path: "/reports/drill", Summary: "The records behind one cell (or total) of a grouped report's answer",
			Status: 200, Handler: reportDrill(eng, false), Body: kinds.DrillRequest{}, Answer: kinds.DrillResult{}},
		{Method: "POST", Path: "/reports/drill.xlsx", Summary: "The records behind one cell of a grouped report as an Excel workbook (limit as for drill)",
			Status: 200, Handler: reportDrill(eng, true), Body: kinds.DrillRequest{}, File: xlsx.ContentType},
		{Method: "POST", Path: "/funnels/drill", Summary: "The deals behind one funnel step: reached, lost or current",
			Status: 200, Handler: funnelDrill(eng, false), Body: kinds.FunnelDrillRequest{}, Answer: kinds.DrillResult{}},
		{Method: "POST", Path: "/funnels/drill.xlsx", Summary: "The deals behind one funnel step as an Excel workbook; lang in the query (ru, en)",
			Status: 200, Handler: funnelDrill(eng, true), Body: kinds.FunnelDrillRequest{}, Query: []string{"lang"}, File: xlsx.ContentType},
	}
}

func reportDrill(eng *engine.Engine, file bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := server.ReportsReady(eng); err != nil {
			return err
		}
		var req kinds.DrillRequest
		if err := server.DecodeJSON(c, &req); err != nil {
			return err
		}
		res, err := eng.Drill(c.UserContext(), server.Principal(c), req)
		if file && err == nil {
			return sendDrill(c, res, req.Definition.Lang)
		}
		return answerJSON(c, fiber.StatusOK, res, err)
	}
}

func funnelDrill(eng *engine.Engine, file bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := server.ReportsReady(eng); err != nil {
			return err
		}
		var req kinds.FunnelDrillRequest
		if err := server.DecodeJSON(c, &req); err != nil {
			return err
		}
		res, err := eng.FunnelDrill(c.UserContext(), server.Principal(c), req)
		if file && err == nil {
			return sendDrill(c, res, c.Query("lang"))
		}
		return answerJSON(c, fiber.StatusOK, res, err)
	}
}

// sendDrill answers with the records as a workbook, written whole
// before a byte is sent (a failure is an error answer, not half a file).
func sendDrill(c *fiber.Ctx, res *kinds.DrillResult, lang string) error {
	lang = i18n.Parse(lang)
	rep := xlsx.Report{Name: i18n.T("Записи за числом", "Records behind a number").In(lang), Lang: lang}
	return server.SendXLSX(c, rep, "drill", res.Result())
}
