package pages

import (
	"maps"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
	"github.com/voronka/voronka/reports/saved"
)

// builderBody is the report builder: the choices (labels, not column
// names) of the chosen dataset, the current selection, its filter rows,
// what saving does (builderEdit) and the preview.
type builderBody struct {
	Datasets, Dims, Measures, Grains, Presets, Charts, DateFields []option
	Sel                                                           map[string]string
	MeasureRows                                                   []measureRow
	Filters                                                       []filterView
	Hidden                                                        []hiddenField // the selection, for the save form
	builderEdit
	Err   string // a save error not tied to a filter row
	Panel *panel
}

// builderEdit says where the builder saves: Action is the preview form's
// address; a saved report the user may change (MayUpdate) is updated at
// /reports/{EditID}/edit, anything else is saved as a new report.
type builderEdit struct {
	Action, EditID string
	MayUpdate      bool
	Title          string // the opened report's name
	Name           string // the name to save under
	Shared         bool
}

// measureRow is one measure select: its form name and chosen value.
type measureRow struct{ Name, Value string }

// hiddenField is one name=value pair of a form.
type hiddenField struct{ Name, Value string }

// newReport is the builder's target for a report not saved yet.
var newReport = builderEdit{Action: "/reports/new"}

// builderPage shows the builder and, once a measure is chosen, a preview
// of the report (the engine applies the user's access rules).
func (s *handlers) builderPage(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	if !saved.MayBuild(d.User) {
		return c.Redirect("/reports", fiber.StatusSeeOther)
	}
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	return s.builderView(c, d, readSel(queryArgs(c)), newReport, nil)
}

// builderView renders the builder for sel; fault is a failed save's
// error, shown next to its filter row or above the save button. A
// refresh (a filter's field or operator changed) skips the preview.
func (s *handlers) builderView(c *fiber.Ctx, d *pageData, sel builderSel, ed builderEdit, fault error) error {
	body := s.builderChoices(d, sel)
	body.builderEdit = ed
	rowErrs, general := faultText(fault)
	body.Err = general
	if len(sel.Measures) > 0 && c.Query("refresh") == "" {
		def, err := sel.definition(d.Lang)
		pn := panel{ID: "preview", Title: d.T("preview")}
		var res *reports.Result
		if err == nil {
			res, err = s.Reports.Run(c.UserContext(), d.User, &def)
		}
		if err != nil {
			pn.Err = s.panelError(err, d.tr)
			previewErrs, _ := faultText(err)
			for i, m := range previewErrs {
				rowErrs[i] = m
			}
		} else {
			pn.result, pn.Table = res, viewTable(res)
			pn.Chart = genericChart(res, sel.M["chart"], len(def.Dimensions))
			pn.XLSX = "/reports/new/xlsx?" + sel.values().Encode()
		}
		body.Panel = &pn
	}
	if ds, ok := dataset.ByKey(sel.M["dataset"]); ok {
		body.Filters = s.filterViews(c.UserContext(), d, ds, sel.Filters, rowErrs)
	}
	vals := sel.values()
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		for _, v := range vals[k] {
			body.Hidden = append(body.Hidden, hiddenField{k, v})
		}
	}
	d.Body = body
	return render(c, "builder", d)
}

// builderSave saves the selection as a new report (CSRF-checked) and
// opens it; an invalid one comes back with its errors (422).
func (s *handlers) builderSave(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	if !saved.MayBuild(d.User) {
		return c.Redirect("/reports", fiber.StatusSeeOther)
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	sel := readSel(postArgs(c))
	ed := newReport
	ed.Name, ed.Shared = sel.M["name"], sel.M["shared"] == "on"
	def, err := sel.definition("")
	var rep saved.Report
	if err == nil {
		rep, err = s.Saved.Create(c.UserContext(), d.User, saved.NewReport{
			Name: ed.Name, Definition: def, Shared: ed.Shared})
	}
	if err != nil {
		return s.builderFault(c, d, sel, ed, err)
	}
	return c.Redirect("/reports/"+strconv.FormatInt(rep.ID, 10), fiber.StatusSeeOther)
}

// builderXLSX downloads the builder's preview table.
func (s *handlers) builderXLSX(c *fiber.Ctx) error {
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	def, err := readSel(queryArgs(c)).definition(s.pageLang(c))
	if err != nil {
		return err
	}
	return server.ExportXLSX(c, s.Reports, i18n.T("Отчёт", "Report").In(def.Lang), "new", &def)
}
