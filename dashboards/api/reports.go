package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/xlsx"
)

// reportBuilders may save reports.
var reportBuilders = []domain.Role{domain.RoleAnalyst, domain.RoleDirector, domain.RoleAdmin}

// reportRoutes lists the grouped-report endpoints, served by eng (the
// server's report engine; nil answers 503). Every run applies the
// caller's access rules inside the engine.
func reportRoutes(eng *reports.Engine) []server.Route {
	h := reportHandlers{eng: eng}
	return []server.Route{
		{Method: "POST", Path: "/reports/run", Summary: "Run a report definition (grouped, or any registered kind)",
			Status: 200, Handler: h.run, Body: reports.Definition{}, Answer: reports.Result{}},
		{Method: "GET", Path: "/datasets", Summary: "The datasets reports may query, with their fields",
			Handler: h.datasets, Answer: list[reports.DatasetInfo]{}},
		{Method: "GET", Path: "/reports", Summary: "The standard catalog and the saved reports the caller sees",
			Handler: h.list, Answer: list[reports.ReportEntry]{}},
		{Method: "POST", Path: "/reports", Summary: "Save a report (analyst, director, admin)", Roles: reportBuilders,
			Handler: h.create, Body: reports.NewSavedReport{}, Answer: reports.SavedReport{}},
		{Method: "GET", Path: "/reports/:id", Summary: "One standard or saved report",
			Handler: h.get, Answer: reports.ReportEntry{}},
		{Method: "PATCH", Path: "/reports/:id", Summary: "Change a saved report (its owner or an admin)",
			Handler: h.update, Body: reports.SavedReportPatch{}, Answer: reports.SavedReport{}},
		{Method: "DELETE", Path: "/reports/:id", Summary: "Delete a saved report (its owner or an admin)",
			Handler: h.delete},
		{Method: "GET", Path: "/reports/:id/run", Summary: "Run a standard or saved report; from and to override its period",
			Handler: h.runSaved, Query: []string{"from", "to"}, Answer: reports.Result{}},
		{Method: "POST", Path: "/reports/run.xlsx", Summary: "Run a report definition and download every row as an Excel workbook",
			Status: 200, Handler: h.runXLSX, Body: reports.Definition{}, File: xlsx.ContentType},
		{Method: "GET", Path: "/reports/:id/export.xlsx", Summary: "Download a standard or saved report as an Excel workbook; from, to and lang as for run",
			Handler: h.exportXLSX, Query: []string{"from", "to", "lang"}, File: xlsx.ContentType},
	}
}

// reportHandlers are thin: decode, call the engine, render.
type reportHandlers struct{ eng *reports.Engine }

func (h reportHandlers) run(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	var def reports.Definition
	if err := server.DecodeJSON(c, &def); err != nil {
		return err
	}
	res, err := h.eng.Run(c.UserContext(), server.Principal(c), &def)
	return answerJSON(c, fiber.StatusOK, res, err)
}

func (h reportHandlers) datasets(c *fiber.Ctx) error {
	var out []reports.DatasetInfo
	for _, d := range reports.Datasets() {
		out = append(out, d.Info())
	}
	return c.JSON(list[reports.DatasetInfo]{Items: out, Total: len(out)})
}

func (h reportHandlers) list(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	rs, err := h.eng.ReportEntries(c.UserContext(), server.Principal(c))
	return answerJSON(c, fiber.StatusOK, list[reports.ReportEntry]{Items: rs, Total: len(rs)}, err)
}

func (h reportHandlers) create(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	var in reports.NewSavedReport
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	s, err := h.eng.CreateSavedReport(c.UserContext(), server.Principal(c), in)
	return answerJSON(c, fiber.StatusCreated, s, err)
}

func (h reportHandlers) get(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	r, err := h.eng.ReportEntry(c.UserContext(), server.Principal(c), c.Params("id"))
	return answerJSON(c, fiber.StatusOK, r, err)
}

func (h reportHandlers) update(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	id, err := reports.SavedID(c.Params("id"))
	if err != nil {
		return err
	}
	var in reports.SavedReportPatch
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	s, err := h.eng.UpdateSavedReport(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, s, err)
}

func (h reportHandlers) delete(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	id, err := reports.SavedID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.eng.DeleteSavedReport(c.UserContext(), server.Principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h reportHandlers) runSaved(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	res, err := h.eng.RunReport(c.UserContext(), server.Principal(c), c.Params("id"), c.Query("from"), c.Query("to"))
	return answerJSON(c, fiber.StatusOK, res, err)
}

func (h reportHandlers) runXLSX(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	var def reports.Definition
	if err := server.DecodeJSON(c, &def); err != nil {
		return err
	}
	return server.ExportXLSX(c, h.eng, server.PickLang(def.Lang, "Отчёт", "Report"), "definition", &def)
}

func (h reportHandlers) exportXLSX(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng); err != nil {
		return err
	}
	e, def, err := h.eng.ReportDefinition(c.UserContext(), server.Principal(c), c.Params("id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	if l := c.Query("lang"); l == "en" || l == "ru" {
		def.Lang = l
	}
	return server.ExportXLSX(c, h.eng, server.EntryName(e, def.Lang), e.ID, &def)
}
