package dashboards

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/reports"
)

// builderBody is the report builder: the choices (labels, not column
// names) of the chosen dataset, the current selection and its preview.
type builderBody struct {
	Datasets, Dims, Measures, Grains, Presets, Charts []option
	Sel                                               map[string]string
	Panel                                             *panel
}

// builderKeys are the builder's form fields.
var builderKeys = []string{"dataset", "dim1", "grain1", "dim2", "measure1", "measure2", "pivot", "period", "chart", "name", "shared"}

// builderPage shows the builder and, once a measure is chosen, a preview
// of the report (the engine applies the user's access rules).
func (s *Server) builderPage(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	if !reports.MayBuildReports(d.User) {
		return c.Redirect("/reports", fiber.StatusSeeOther)
	}
	if err := s.reportsReady(); err != nil {
		return err
	}
	sel := map[string]string{}
	for _, k := range builderKeys {
		sel[k] = c.Query(k)
	}
	if sel["chart"] == "" {
		sel["chart"] = "bar"
	}
	body := s.builderChoices(d, sel)
	if sel["measure1"] != "" {
		def := builderDef(sel, d.Lang)
		pn := panel{ID: "preview", Title: d.T("preview")}
		if res, err := s.Reports.Run(c.UserContext(), d.User, &def); err != nil {
			pn.Err = s.panelError(err, d.tr)
		} else {
			pn.result, pn.Table = res, viewTable(res)
			pn.Chart = genericChart(res, sel["chart"], len(def.Dimensions))
			pn.XLSX = "/reports/new/xlsx?" + c.Request().URI().QueryArgs().String()
		}
		body.Panel = &pn
	}
	d.Body = body
	return render(c, "builder", d)
}

// builderSave saves the selection as a report (CSRF-checked) and opens it.
func (s *Server) builderSave(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	if !reports.MayBuildReports(d.User) {
		return c.Redirect("/reports", fiber.StatusSeeOther)
	}
	if !csrfOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	if err := s.reportsReady(); err != nil {
		return err
	}
	sel := map[string]string{}
	for _, k := range builderKeys {
		sel[k] = c.FormValue(k)
	}
	saved, err := s.Reports.CreateSavedReport(c.UserContext(), d.User, reports.NewSavedReport{
		Name: sel["name"], Definition: builderDef(sel, ""), Shared: sel["shared"] == "on"})
	if err != nil {
		return err
	}
	return c.Redirect("/reports/"+strconv.FormatInt(saved.ID, 10), fiber.StatusSeeOther)
}

// builderDef turns the selection into a definition.
func builderDef(sel map[string]string, lang string) reports.Definition {
	def := reports.Definition{Dataset: sel["dataset"], Lang: lang, Limit: 1000}
	if sel["dim1"] != "" {
		def.Dimensions = append(def.Dimensions, reports.Dimension{Field: sel["dim1"], Grain: sel["grain1"]})
	}
	if sel["dim2"] != "" {
		def.Dimensions = append(def.Dimensions, reports.Dimension{Field: sel["dim2"]})
		if sel["pivot"] == "on" {
			def.Pivot = &reports.Pivot{Columns: []string{sel["dim2"]}}
		}
	}
	for _, k := range []string{"measure1", "measure2"} {
		if m := sel[k]; m != "" {
			field, agg, ok := strings.Cut(m, ":")
			if !ok {
				agg, field = field, ""
			}
			def.Measures = append(def.Measures, reports.Measure{Field: field, Agg: agg})
		}
	}
	if sel["period"] != "" {
		def.Period = &reports.Period{Preset: sel["period"]}
	}
	if sel["chart"] != "" {
		def.Chart = &reports.Chart{Type: sel["chart"]}
	}
	return def
}

// builderXLSX downloads the builder's preview table.
func (s *Server) builderXLSX(c *fiber.Ctx) error {
	if err := s.reportsReady(); err != nil {
		return err
	}
	sel := map[string]string{}
	for _, k := range builderKeys {
		sel[k] = c.Query(k)
	}
	def := builderDef(sel, s.pageLang(c))
	return exportXLSX(c, s.Reports, pickLang(def.Lang, "Отчёт", "Report"), "new", &def)
}
