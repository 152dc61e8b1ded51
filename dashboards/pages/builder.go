package pages

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
	"github.com/voronka/voronka/reports/saved"
)

// builderBody is the report builder: the choices (labels, not column
// names) of the chosen kind and dataset, the current selection, its
// filter rows, what saving does (builderEdit) and the preview.
type builderBody struct {
	Kind                                                              string
	Kinds, Datasets, Dims, Grains, Presets, Charts, DateFields, Sorts []option
	Pipelines, Modes, Breakdowns, Compares                            []option
	CountLabel, SortValue                                             string
	MeasureGroups                                                     []measureGroup
	Sel                                                               map[string]string
	MeasureRows                                                       []measureRow
	Filters                                                           []filterView
	builderEdit
	Err      string // a save error not tied to a filter row
	Nothing  bool   // nothing is chosen: say what to choose
	RowsNote string // the preview shows a first part: which, of how many
	Panel    *panel
}

// builderEdit says where the builder saves: Action is the form's
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

// newReport is the builder's target for a report not saved yet.
var newReport = builderEdit{Action: "/reports/new"}

// builderPage shows the builder and, once something is chosen, a
// preview of the report (the engine applies the user's access rules).
func (s *handlers) builderPage(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	if !saved.MayBuild(d.User) {
		return c.Redirect("/reports", fiber.StatusSeeOther)
	}
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	sel := readSel(queryArgs(c))
	ed := newReport
	ed.Name, ed.Shared = sel.M["name"], sel.M["shared"] == "on"
	return s.builderView(c, d, sel, ed, nil)
}

// builderView renders the builder for sel; fault is a failed save's
// error, shown next to its filter row or above the save button. A
// refresh (the kind, a filter's field or operator changed) skips the
// preview.
func (s *handlers) builderView(c *fiber.Ctx, d *pageData, sel builderSel, ed builderEdit, fault error) error {
	ctx := c.UserContext()
	body := s.builderChoices(ctx, d, sel)
	body.builderEdit = ed
	rowErrs, general := s.faultText(fault, d)
	body.Err = general
	body.Nothing = !sel.chosen()
	if sel.chosen() && c.Query("refresh") == "" {
		def, err := sel.definition(d.Lang)
		pn := panel{ID: "preview", Title: d.T("preview")}
		var res *reports.Result
		if err == nil {
			res, err = s.Reports.Run(ctx, d.User, &def)
			res = chronological(res)
		}
		if err != nil {
			previewErrs, msg := s.faultText(err, d)
			for i, m := range previewErrs {
				rowErrs[i], msg = m, m
			}
			pn.Err = msg
		} else {
			pn.result, pn.Table = res, viewTable(res, d.Lang)
			d.answered(res.Meta, true)
			pn.Chart = chartIn(genericChart(res, sel.M["chart"], len(def.Dimensions), d.T), d.Lang, res)
			pn.XLSX = "/reports/new/xlsx?" + sel.values().Encode()
			body.RowsNote = s.rowsNote(ctx, d, &def, res)
		}
		body.Panel = &pn
	}
	if ds, ok := dataset.ByKey(sel.M["dataset"]); ok && body.Kind == reports.KindGrouped {
		body.Filters = s.filterViews(ctx, d, ds, sel.Filters, rowErrs)
	}
	d.Body = body
	return render(c, "builder", d)
}

// saving reports whether a builder form was sent to be saved (its save
// buttons send do=save); anything else shows its preview.
func saving(c *fiber.Ctx) bool { return string(c.Request().PostArgs().Peek("do")) == "save" }

// previewAt answers a builder form sent to be previewed: 303 to the
// preview of what it holds at action, so the preview keeps an address
// of its own (and reloads without sending the form again).
func previewAt(c *fiber.Ctx, action string, sel builderSel) error {
	v := sel.values()
	for _, k := range []string{"name", "shared"} {
		if x := sel.M[k]; x != "" {
			v.Set(k, x)
		}
	}
	if r := c.FormValue("refresh"); r != "" {
		v.Set("refresh", r)
	}
	return c.Redirect(action+"?"+v.Encode(), fiber.StatusSeeOther)
}

// builderSave saves what the form holds as a new report (CSRF-checked)
// and opens it; an invalid one comes back with its errors (422). A form
// sent without do=save is previewed instead.
func (s *handlers) builderSave(c *fiber.Ctx) error {
	d := s.newPage(c, "builder")
	if !saved.MayBuild(d.User) {
		return c.Redirect("/reports", fiber.StatusSeeOther)
	}
	sel := readSel(postArgs(c))
	if !saving(c) {
		return previewAt(c, "/reports/new", sel)
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
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

// builderXLSX downloads the builder's preview: every row, as exports do.
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

// editAction is the builder's address for a saved or standard report.
func editAction(id string) string { return "/reports/" + url.PathEscape(id) + "/edit" }
