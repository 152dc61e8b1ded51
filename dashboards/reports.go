package dashboards

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
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
func reportRoutes(eng *engine.Engine, lib *saved.Store) []route {
	h := reportHandlers{eng: eng, lib: lib}
	return []route{
		{method: "POST", path: "/reports/run", summary: "Run a report definition (grouped, or any registered kind)",
			status: 200, handler: h.run, body: reports.Definition{}, answer: reports.Result{}},
		{method: "GET", path: "/datasets", summary: "The datasets reports may query, with their fields",
			handler: h.datasets, answer: list[dataset.DatasetInfo]{}},
		{method: "GET", path: "/reports", summary: "The standard catalog and the saved reports the caller sees",
			handler: h.list, answer: list[saved.Entry]{}},
		{method: "POST", path: "/reports", summary: "Save a report (analyst, director, admin)", roles: reportBuilders,
			handler: h.create, body: saved.NewReport{}, answer: saved.Report{}},
		{method: "GET", path: "/reports/:id", summary: "One standard or saved report",
			handler: h.get, answer: saved.Entry{}},
		{method: "PATCH", path: "/reports/:id", summary: "Change a saved report (its owner or an admin)",
			handler: h.update, body: saved.Patch{}, answer: saved.Report{}},
		{method: "DELETE", path: "/reports/:id", summary: "Delete a saved report (its owner or an admin)",
			handler: h.delete},
		{method: "GET", path: "/reports/:id/run", summary: "Run a standard or saved report; from and to override its period",
			handler: h.runSaved, query: []string{"from", "to"}, answer: reports.Result{}},
		{method: "POST", path: "/reports/run.xlsx", summary: "Run a report definition and download every row as an Excel workbook",
			status: 200, handler: h.runXLSX, body: reports.Definition{}, file: xlsx.ContentType},
		{method: "GET", path: "/reports/:id/export.xlsx", summary: "Download a standard or saved report as an Excel workbook; from, to and lang as for run",
			handler: h.exportXLSX, query: []string{"from", "to", "lang"}, file: xlsx.ContentType},
	}
}

// reportHandlers are thin: decode, call the engine, render.
type reportHandlers struct {
	eng *engine.Engine
	lib *saved.Store
}

// ready fails with 503 when no engine is configured.
func (h reportHandlers) ready() error {
	if h.eng == nil || h.eng.CH == nil || h.lib == nil {
		return apperr.New(apperr.Unavailable, "reports_unavailable", "the analytics store is not configured")
	}
	return nil
}

func (h reportHandlers) run(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	var def reports.Definition
	if err := decodeJSON(c, &def); err != nil {
		return err
	}
	res, err := h.eng.Run(c.UserContext(), principal(c), &def)
	return answerJSON(c, fiber.StatusOK, res, err)
}

func (h reportHandlers) datasets(c *fiber.Ctx) error {
	var out []dataset.DatasetInfo
	for _, d := range dataset.Datasets() {
		out = append(out, d.Info())
	}
	return c.JSON(list[dataset.DatasetInfo]{Items: out, Total: len(out)})
}

func (h reportHandlers) list(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	rs, err := h.lib.Entries(c.UserContext(), principal(c))
	return answerJSON(c, fiber.StatusOK, list[saved.Entry]{Items: rs, Total: len(rs)}, err)
}

func (h reportHandlers) create(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	var in saved.NewReport
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	s, err := h.lib.Create(c.UserContext(), principal(c), in)
	return answerJSON(c, fiber.StatusCreated, s, err)
}

func (h reportHandlers) get(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	r, err := h.lib.Entry(c.UserContext(), principal(c), c.Params("id"))
	return answerJSON(c, fiber.StatusOK, r, err)
}

func (h reportHandlers) update(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	id, err := saved.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	var in saved.Patch
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	s, err := h.lib.Update(c.UserContext(), principal(c), id, in)
	return answerJSON(c, fiber.StatusOK, s, err)
}

func (h reportHandlers) delete(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	id, err := saved.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.lib.Delete(c.UserContext(), principal(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h reportHandlers) runSaved(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	res, err := runReport(c.UserContext(), h.eng, h.lib, principal(c), c.Params("id"), c.Query("from"), c.Query("to"))
	return answerJSON(c, fiber.StatusOK, res, err)
}

func (h reportHandlers) runXLSX(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	var def reports.Definition
	if err := decodeJSON(c, &def); err != nil {
		return err
	}
	return exportXLSX(c, h.eng, pickLang(def.Lang, "Отчёт", "Report"), "definition", &def)
}

func (h reportHandlers) exportXLSX(c *fiber.Ctx) error {
	if err := h.ready(); err != nil {
		return err
	}
	e, def, err := h.lib.Definition(c.UserContext(), principal(c), c.Params("id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	if l := c.Query("lang"); l == "en" || l == "ru" {
		def.Lang = l
	}
	return exportXLSX(c, h.eng, entryName(e, def.Lang), e.ID, &def)
}

// runReport runs a standard or saved report p may see by id; from and to
// (dates or RFC 3339 times, both or neither) override its period.
func runReport(ctx context.Context, eng *engine.Engine, lib *saved.Store, p domain.Principal, id, from, to string) (*reports.Result, error) {
	_, def, err := lib.Definition(ctx, p, id, from, to)
	if err != nil {
		return nil, err
	}
	return eng.Run(ctx, p, &def)
}
