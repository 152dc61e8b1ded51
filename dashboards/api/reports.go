package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/xlsx"
)

// reportBuilders may save reports.
var reportBuilders = []domain.Role{domain.RoleAnalyst, domain.RoleDirector, domain.RoleAdmin}

// reportRoutes lists the grouped-report endpoints, served by eng (the
// server's report engine; nil answers 503). Every run applies the
// caller's access rules inside the engine.
func reportRoutes(eng *engine.Engine, lib *saved.Store) []server.Route {
	h := reportHandlers{eng: eng, lib: lib}
	return []server.Route{
		{Method: "POST", Path: "/reports/run", Summary: "Run a report definition (grouped, or any registered kind)",
			Status: 200, Handler: h.run, Body: reports.Definition{}, Answer: reports.Result{}},
		{Method: "GET", Path: "/datasets", Summary: "The datasets reports may query, with their fields",
			Handler: h.datasets, Answer: list[dataset.Info]{}},
		{Method: "GET", Path: "/reports", Summary: "The standard catalog and the saved reports the caller sees",
			Handler: h.list, Answer: list[saved.Entry]{}},
		{Method: "POST", Path: "/reports", Summary: "Save a report (analyst, director, admin)", Roles: reportBuilders,
			Handler: h.create, Body: saved.NewReport{}, Answer: saved.Report{}},
		{Method: "GET", Path: "/reports/:id", Summary: "One standard or saved report",
			Handler: h.get, Answer: saved.Entry{}},
		{Method: "PATCH", Path: "/reports/:id", Summary: "Change a saved report (its owner or an admin)",
			Handler: h.update, Body: saved.Patch{}, Answer: saved.Report{}},
		{Method: "DELETE", Path: "/reports/:id", Summary: "Delete a saved report (its owner or an admin)",
			Handler: h.delete},
		{Method: "GET", Path: "/reports/:id/run", Summary: "Run a standard or saved report; from and to override its period, as_of the date of a pipeline snapshot",
			Handler: h.runSaved, Query: []string{"from", "to", "as_of"}, Answer: reports.Result{}},
		{Method: "POST", Path: "/reports/run.xlsx", Summary: "Run a report definition and download every row as an Excel workbook",
			Status: 200, Handler: h.runXLSX, Body: reports.Definition{}, File: xlsx.ContentType},
		{Method: "GET", Path: "/reports/:id/export.xlsx", Summary: "Download a standard or saved report as an Excel workbook; from, to, as_of and lang as for run",
			Handler: h.exportXLSX, Query: []string{"from", "to", "as_of", "lang"}, File: xlsx.ContentType},
	}
}

// reportHandlers are thin: decode, call the engine, render.
type reportHandlers struct {
	eng *engine.Engine
	lib *saved.Store
}

func (h reportHandlers) run(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
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
	var out []dataset.Info
	for _, d := range dataset.All() {
		out = append(out, d.Info())
	}
	return c.JSON(list[dataset.Info]{Items: out, Total: len(out)})
}

func (h reportHandlers) list(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	rs, err := h.lib.Entries(c.UserContext(), server.Principal(c))
	return answerJSON(c, fiber.StatusOK, list[saved.Entry]{Items: rs, Total: len(rs)}, err)
}

func (h reportHandlers) create(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	var in saved.NewReport
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	s, err := h.lib.Create(c.UserContext(), server.Principal(c), in)
	return answerJSON(c, fiber.StatusCreated, s, err)
}

func (h reportHandlers) get(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	r, err := h.lib.Entry(c.UserContext(), server.Principal(c), c.Params("id"))
	return answerJSON(c, fiber.StatusOK, r, err)
}

func (h reportHandlers) update(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	id, err := saved.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	var in saved.Patch
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	s, err := h.lib.Update(c.UserContext(), server.Principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, s, err)
}

func (h reportHandlers) delete(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	id, err := saved.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.lib.Delete(c.UserContext(), server.Principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h reportHandlers) runSaved(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	p := server.Principal(c)
	_, def, err := h.lib.DefinitionWith(c.UserContext(), p, c.Params("id"), runOverrides(c))
	if err != nil {
		return err
	}
	res, err := h.eng.Run(c.UserContext(), p, &def)
	return answerJSON(c, fiber.StatusOK, res, err)
}

func (h reportHandlers) runXLSX(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	var def reports.Definition
	if err := server.DecodeJSON(c, &def); err != nil {
		return err
	}
	return server.ExportXLSX(c, h.eng, i18n.T("Отчёт", "Report").In(def.Lang), "definition", &def)
}

func (h reportHandlers) exportXLSX(c *fiber.Ctx) error {
	if err := server.ReportsReady(h.eng, h.lib); err != nil {
		return err
	}
	e, def, err := h.lib.DefinitionWith(c.UserContext(), server.Principal(c), c.Params("id"), runOverrides(c))
	if err != nil {
		return err
	}
	if l := c.Query("lang"); i18n.Valid(l) {
		def.Lang = l
	}
	return server.ExportXLSX(c, h.eng, server.EntryName(e, def.Lang), e.ID, &def)
}

// runOverrides are a report run's from, to and as_of query parameters.
func runOverrides(c *fiber.Ctx) saved.Overrides {
	return saved.Overrides{From: c.Query("from"), To: c.Query("to"), AsOf: c.Query("as_of")}
}
