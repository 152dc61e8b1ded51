package pages

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/saved"
)

// reportsBody is the reports page: the catalog and saved reports, and
// the one opened with its result.
type reportsBody struct {
	Entries  []saved.Entry
	Open     *saved.Entry
	From, To string
	AsOf     string // the date of a snapshot (Snapshot: the report takes one)
	Snapshot bool
	Panel    *panel
	Builder  bool   // the user may build and save reports
	EditKey  string // "edit" or "copy": how the opened report opens in the builder ("" not at all)
	RowsNote string // the table shows a first part: which, of how many (rowsNote)
}

// reportsPage lists the standard and saved reports the user may see.
func (s *handlers) reportsPage(c *fiber.Ctx) error {
	d := s.newPage(c, "reports")
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	es, err := s.Saved.Entries(c.UserContext(), d.User)
	if err != nil {
		return err
	}
	d.Body = &reportsBody{Entries: es, Builder: saved.MayBuild(d.User)}
	return render(c, "reports", d)
}

// reportPage runs one report (from and to override its period) and shows
// its chart, table and XLSX link.
func (s *handlers) reportPage(c *fiber.Ctx) error {
	d := s.newPage(c, "reports")
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	e, err := s.Saved.Entry(c.UserContext(), d.User, c.Params("id"))
	if err != nil {
		return err
	}
	body := &reportsBody{Open: &e, From: c.Query("from"), To: c.Query("to"), Builder: saved.MayBuild(d.User),
		AsOf: c.Query("as_of"), Snapshot: reports.IsSnapshot(e.Definition)}
	e.Name = server.EntryName(e, d.Lang)
	d.Title = e.Name
	body.EditKey = editKey(d, e)
	pn := panel{ID: "report", Title: e.Name, Def: e.Description}
	_, def, err := s.Saved.DefinitionWith(c.UserContext(), d.User, e.ID, saved.Overrides{From: body.From, To: body.To, AsOf: body.AsOf})
	var res *reports.Result
	if err == nil {
		res, err = s.Reports.Run(c.UserContext(), d.User, &def)
		res = chronological(res)
	}
	if err != nil {
		pn.Err = s.errorText(err, d)
	} else {
		pn.result, pn.Table = res, viewTable(res, d.Lang)
		d.answered(res.Meta, true)
		pn.Chart = chartIn(genericChart(res, chartType(e.Definition), len(e.Definition.Dimensions), d.T), d.Lang, res)
		pn.XLSX = "/reports/" + url.PathEscape(e.ID) + "/xlsx?" + withAsOf(url.Values{"from": {body.From}, "to": {body.To}}, body.AsOf).Encode()
		body.RowsNote = s.rowsNote(c.UserContext(), d, &def, res)
	}
	body.Panel = &pn
	d.Body = body
	return render(c, "reports", d)
}

// reportXLSX downloads a report's table, run as on its page.
func (s *handlers) reportXLSX(c *fiber.Ctx) error {
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	p := server.Principal(c)
	e, def, err := s.Saved.DefinitionWith(c.UserContext(), p, c.Params("id"),
		saved.Overrides{From: c.Query("from"), To: c.Query("to"), AsOf: c.Query("as_of")})
	if err != nil {
		return err
	}
	def.Lang = s.pageLang(c)
	return server.ExportXLSX(c, s.Reports, server.EntryName(e, def.Lang), e.ID, &def)
}

// chartType is a definition's chart hint ("" when none).
func chartType(def reports.Definition) string {
	if def.Chart == nil {
		return ""
	}
	return def.Chart.Type
}

// editKey says whether a builder may change the opened report ("edit":
// a saved one of theirs, or any for an admin), copy it ("copy"), or
// neither ("": not a builder, or beyond the builder's choices).
func editKey(d *pageData, e saved.Entry) string {
	switch {
	case !saved.MayBuild(d.User) || !builderFits(e.Definition):
		return ""
	case e.Source == "saved" && mayEdit(d.User, saved.Report{OwnerID: e.OwnerID}):
		return "edit"
	}
	return "copy"
}
