package pages

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/xlsx"
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

// The drill page (GET /drill?q=…): the records behind one number of a
// dashboard. q is the base64url JSON of a drillAsk, which the dashboard
// wrote into its links; sort (a record column) and desc=1 order the
// list on the server; page=N (from 1) shows the Nth drillPageRows of it.
// A q that does not decode, a dashboard or panel the pages do not have,
// a sort the records do not have or a page that is no number is named
// on the page and nothing runs.

// drillAsk is what a drill link asks for: the dashboard and panel it
// came from (the breadcrumb), the dashboard's filters as its address
// held them (the way back), and either the funnel drill or the grouped
// report's drill, with the dashboard's period, pipeline and manager.
// Prev is the comparison (previous_period, previous_year) when the
// number is the previous period's: its drill is that period's
// (engine.PreviousCell), and the breadcrumb says so.
type drillAsk struct {
	From   string                    `json:"from"`
	Panel  string                    `json:"panel"`
	Back   string                    `json:"back,omitempty"`
	Prev   string                    `json:"prev,omitempty"`
	Funnel *kinds.FunnelDrillRequest `json:"funnel,omitempty"`
	Report *kinds.DrillRequest       `json:"report,omitempty"`
}

// drillPanels are the panels whose numbers open the drill page, by
// whether they are funnels.
var drillPanels = map[string]bool{"funnel": true, "stages": false, "won_month": false, "by_source": false, "leaders": false, "heatmap": false,
	"plan_fact": false, "forecast": false, "forecast_accuracy": false,
	"receivables": false, "receivables_companies": false, "acts_payments": false, "payments_plan": false}

// drillPageRows is how many records a page of the list holds (its XLSX
// has up to drillFileRows, the engine's most, from the first);
// drillMaxPage bounds page=N.
const drillPageRows, drillFileRows, drillMaxPage = 1000, 100000, 1_000_000

// drillURL is the drill page's address for ask.
func drillURL(ask drillAsk) string {
	b, _ := json.Marshal(ask)
	return "/drill?q=" + base64.RawURLEncoding.EncodeToString(b)
}

// drillBody is the drill page.
type drillBody struct {
	Crumbs  []crumb  // the dashboard, the panel, the number
	Count   string   // «124 сделки»: the records, as many as the number clicked
	Invalid []string // what is wrong with the address: nothing ran
	Err     string   // the engine's refusal or failure in words
	Heads   []drillHead
	Rows    [][]drillCell
	Note    string // records left out of the page
	XLSX    string
	// Range says which records the page holds of how many («Записи
	// 1 001–2 000 из 5 432») when they are not all on it; Prev and Next
	// link the pages beside it ("" none), in the same order.
	Range, Prev, Next string
}

// crumb is one step of the breadcrumb (Href "" for the last).
type crumb struct{ Label, Href string }

// drillHead is a column header: a link that sorts by it (ascending, or
// descending when it already sorts ascending); Sort is its aria-sort.
type drillHead struct{ Key, Label, Def, Href, Sort string }

// drillCell is one record's cell; Href links the id and title to the
// deal's page.
type drillCell struct {
	Text, Href string
	Num        bool
}

// drillPage lists the records behind the number q names.
func (s *handlers) drillPage(c *fiber.Ctx) error {
	d := s.newPage(c, "drill_title")
	if err := server.ReportsReady(s.Reports); err != nil {
		return err
	}
	body := &drillBody{}
	d.Body = body
	ask, opts, bad := drillQuery(c, d.tr)
	if body.Invalid = bad; len(bad) > 0 {
		return render(c, "drill", d)
	}
	body.Crumbs = s.drillCrumbs(c.UserContext(), ask, d.Lang)
	opts.Limit = drillPageRows
	res, err := s.runDrill(c.UserContext(), drillPrincipal(d.User, ask), ask, opts)
	if err != nil {
		body.Err = s.errorText(err, d)
		return render(c, "drill", d)
	}
	// A drill is never cached: its data is the copy's now, which the
	// header's stream lag tells (its DataAsOf is the run's clock).
	if !res.Meta.From.IsZero() {
		d.Period = d.T("period_in_force") + ": " + periodWords(d.Lang, res.Meta.From, res.Meta.To)
		if to := res.Meta.To.In(moscow); ask.Prev != "" && !to.Equal(reports.GrainStart(to, "day")) { // a running period's match, cut short
			d.Period += " " + fmt.Sprintf(d.T("drill_prev_until"), to.Format("15:04"))
		}
	}
	d.Computed = d.T("computed") + " " + time.Now().In(moscow).Format(d.T("seconds_layout"))
	body.Count = recordsText(d.Lang, res)
	if k := recordsKind(res); k != "deals" { // «Дела за числом»
		d.Title = d.T("drill_title_" + k)
	}
	last := &body.Crumbs[len(body.Crumbs)-1]
	last.Label += " — " + body.Count
	body.Heads, body.Rows = drillTable(c, res, opts, d.Lang)
	drillPaging(c, d, body, res, opts)
	whole := opts
	whole.Offset = 0
	body.XLSX = "/drill/xlsx?" + drillValues(c, whole).Encode()
	return render(c, "drill", d)
}

// drillPaging says which records of how many the page holds and links
// the pages before and after it (the order kept); a page past the last
// says how many there are.
func drillPaging(c *fiber.Ctx, d *pageData, body *drillBody, res *kinds.DrillResult, opts compile.DrillOptions) {
	total, first := int(res.Meta.Total), opts.Offset
	pages := (total + drillPageRows - 1) / drillPageRows
	if first > 0 && first >= total {
		body.Note = fmt.Sprintf(d.T("drill_no_page"), first/drillPageRows+1, pages)
	}
	if len(res.Rows) == 0 || len(res.Rows) == total {
		return
	}
	body.Range = fmt.Sprintf(d.T("drill_range"), countText(d.Lang, first+1), countText(d.Lang, first+len(res.Rows)), countText(d.Lang, total))
	page := func(offset int) string {
		o := opts
		o.Offset = offset
		return "/drill?" + drillValues(c, o).Encode()
	}
	if first > 0 {
		body.Prev = page(max(0, first-drillPageRows))
	}
	if first+len(res.Rows) < total {
		body.Next = page(first + drillPageRows)
	}
}

// drillXLSX downloads the records of the drill page (up to
// drillFileRows), in its order.
func (s *handlers) drillXLSX(c *fiber.Ctx) error {
	if err := server.ReportsReady(s.Reports); err != nil {
		return err
	}
	lang := s.pageLang(c)
	t := messages.Translator(lang)
	ask, opts, bad := drillQuery(c, t)
	if len(bad) > 0 {
		return apperr.New(apperr.Invalid, "invalid_drill", strings.Join(bad, "; "))
	}
	opts.Limit, opts.Offset = drillFileRows, 0 // the whole list, whatever the page
	res, err := s.runDrill(c.UserContext(), drillPrincipal(server.Principal(c), ask), ask, opts)
	if err != nil {
		return err
	}
	var words []string
	for _, cr := range s.drillCrumbs(c.UserContext(), ask, lang) {
		words = append(words, cr.Label)
	}
	rep := xlsx.Report{Name: t(ask.Panel) + ", " + words[len(words)-1], Lang: lang,
		Params: []xlsx.Param{{Label: t("drill_from"), Value: strings.Join(words, " › ")}, {Label: t("drill_count"), Value: recordsText(lang, res)}}}
	return server.SendXLSX(c, rep, "drill", res.Result())
}

// drillQuery reads the page's address: q, sort, desc and page.
func drillQuery(c *fiber.Ctx, t func(string) string) (drillAsk, compile.DrillOptions, []string) {
	var ask drillAsk
	var opts compile.DrillOptions
	var bad []string
	b, err := base64.RawURLEncoding.DecodeString(c.Query("q"))
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err = dec.Decode(&ask)
	}
	isFunnel, known := drillPanels[ask.Panel]
	switch {
	case c.Query("q") == "" || err != nil:
		return ask, opts, []string{t("drill_bad_link")}
	case ask.From != "director" && ask.From != "manager" && ask.From != "finance":
		bad = append(bad, fmt.Sprintf(t("drill_bad_from"), clip(ask.From)))
	case !known:
		bad = append(bad, fmt.Sprintf(t("drill_bad_panel"), clip(ask.Panel)))
	case isFunnel != (ask.Funnel != nil) || (ask.Report != nil) == (ask.Funnel != nil),
		ask.Prev != "" && !slices.Contains(reports.CompareModes, ask.Prev):
		bad = append(bad, t("drill_bad_link"))
	}
	if by := c.Query("sort"); by != "" {
		opts.Sort = []reports.Sort{{By: by, Desc: c.Query("desc") == "1"}}
	}
	if desc := c.Query("desc"); desc != "" && desc != "1" {
		bad = append(bad, fmt.Sprintf(t("drill_bad_desc"), clip(desc)))
	}
	if pg := c.Query("page"); pg != "" {
		n, err := strconv.Atoi(pg)
		if err != nil || n < 1 || n > drillMaxPage {
			bad = append(bad, fmt.Sprintf(t("drill_bad_page"), clip(pg)))
		} else {
			opts.Offset = (n - 1) * drillPageRows
		}
	}
	return ask, opts, bad
}

// drillValues are the page's address for opts (q kept; page for an
// offset past the first page).
func drillValues(c *fiber.Ctx, opts compile.DrillOptions) url.Values {
	v := url.Values{"q": {c.Query("q")}}
	if len(opts.Sort) > 0 {
		v.Set("sort", opts.Sort[0].By)
		if opts.Sort[0].Desc {
			v.Set("desc", "1")
		}
	}
	if opts.Offset > 0 {
		v.Set("page", strconv.Itoa(opts.Offset/drillPageRows+1))
	}
	return v
}

// drillPrincipal is whom a drill runs as: the personal dashboard's
// numbers are the user's own deals (personalView), the director's under
// the user's access.
func drillPrincipal(p domain.Principal, ask drillAsk) domain.Principal {
	if ask.From == "manager" {
		return personalView(p)
	}
	return p
}

// runDrill lists the records ask names for p.
func (s *handlers) runDrill(ctx context.Context, p domain.Principal, ask drillAsk, opts compile.DrillOptions) (*kinds.DrillResult, error) {
	if ask.Funnel != nil {
		req := *ask.Funnel
		req.DrillOptions = opts
		return s.Reports.FunnelDrill(ctx, p, req)
	}
	req := *ask.Report
	req.DrillOptions = opts
	return s.Reports.Drill(ctx, p, req)
}

// drillCrumbs is the breadcrumb: the dashboard (with its filters), the
// panel, and the number in words — a funnel's step and which of its
// deals («Презентация: дошли»), a report cell's values («март 2026»,
// «Итого» for a total), and for a previous period's number which
// period it is («март 2025, год назад»).
func (s *handlers) drillCrumbs(ctx context.Context, ask drillAsk, lang string) []crumb {
	t := messages.Translator(lang)
	if mode := ask.Prev; mode != "" { // the previous period's number: «март 2024, год назад»
		ask.Prev = ""
		out := s.drillCrumbs(ctx, ask, lang)
		out[len(out)-1].Label += ", " + t("drill_prev_"+mode)
		return out
	}
	back, _ := url.ParseQuery(ask.Back)
	out := []crumb{{Label: t(ask.From), Href: "/dashboards/" + ask.From + "?" + back.Encode()}, {Label: t(ask.Panel)}}
	if f := ask.Funnel; f != nil {
		return append(out, crumb{Label: s.stageName(ctx, f.Pipeline, f.Step) + ": " + t("drill_which_"+f.Which)})
	}
	if d := ask.Report.Definition; d != nil {
		switch {
		case planKinds[d.Kind]:
			return append(out, crumb{Label: s.kindCrumb(ctx, ask.Report, lang)}) // plans.go
		case peopleKinds[d.Kind]:
			return append(out, crumb{Label: s.kindCellWords(ctx, ask.Report, lang)}) // panels.go
		case moneyKinds[d.Kind]:
			return append(out, crumb{Label: s.moneyCrumb(ctx, ask.Report, lang)}) // panels.go
		}
	}
	var parts []string
	keys := slices.Sorted(maps.Keys(ask.Report.Cell))
	if def := ask.Report.Definition; def != nil && def.Kind == reports.KindStagePercentages {
		keys = []string{"stage_group", "probability"} // the group says its kind
	}
	for _, k := range keys {
		if raw, ok := ask.Report.Cell[k]; ok {
			parts = append(parts, cellWords(lang, k, raw))
		}
	}
	if len(parts) == 0 {
		parts = []string{t("totals_row")}
	}
	label := strings.Join(parts, ", ")
	if col := ask.Report.Column; messages["drill_column_"+col] != (i18n.Text{}) {
		label += ": " + t("drill_column_"+col)
	}
	return append(out, crumb{Label: label})
}

// stageName is a pipeline's stage by its code in words (the code when
// there is no such stage: the engine refuses it then).
func (s *handlers) stageName(ctx context.Context, pipeline, code string) string {
	pls, err := s.Store.Pipelines(ctx)
	if err != nil {
		return clip(code)
	}
	for _, pl := range pls {
		for _, st := range pl.Stages {
			if pl.Code == pipeline && st.Code == code {
				return st.Name
			}
		}
	}
	return clip(code)
}

// cellWords is one value of a report cell in words: a month by name,
// an empty value as such, any other as it is.
func cellWords(lang, key string, raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil || v == nil {
		return messages.T(lang, "drill_empty")
	}
	if n, ok := v.(float64); ok && key == "probability" {
		return fmt.Sprintf(messages.T(lang, "drill_probability"), int(n))
	}
	s := clip(cellText(v))
	if m, err := time.ParseInLocation(time.DateOnly, s, moscow); err == nil && (key == "month" || strings.HasSuffix(key, "_month")) {
		return i18n.Month(lang, m)
	}
	return s
}

// dealsText is a number of deals in words: «124 сделки», "124 deals".
func dealsText(lang string, n int64) string {
	return i18n.Counted(lang, n, messages["deals_one"], messages["deals_few"], messages["deals_many"])
}

// recordsText is a drill's number of records in words, by what it
// lists (recordsKind): «5 дел», «3 перехода стадии», «2 сделки».
func recordsText(lang string, res *kinds.DrillResult) string {
	if k := recordsKind(res); k != "deals" {
		return i18n.Counted(lang, res.Meta.Total, messages[k+"_one"], messages[k+"_few"], messages[k+"_many"])
	}
	return dealsText(lang, res.Meta.Total)
}

// recordsKind is what a drill lists, by its columns: activities (a
// subject), changes (stage changes), invoices, acts, payments or deals.
func recordsKind(res *kinds.DrillResult) string {
	has := func(key string) bool {
		return slices.ContainsFunc(res.Columns, func(c reports.Column) bool { return c.Key == key })
	}
	switch {
	case has("subject"):
		return "activities"
	case has("to_stage_name"):
		return "changes"
	case has("due_at") && has("issued_at"):
		return "invoices"
	case has("order_number"):
		return "acts"
	case has("invoice_number"):
		return "payments"
	}
	return "deals"
}

// drillTable lays the records out: headers that sort, cells in the
// reader's format, the id and the title linked to the deal (a record of
// a deal, an activity or a stage change: its deal_id and deal_title).
func drillTable(c *fiber.Ctx, res *kinds.DrillResult, opts compile.DrillOptions, lang string) ([]drillHead, [][]drillCell) {
	var heads []drillHead
	for _, col := range res.Columns {
		h := drillHead{Key: col.Key, Label: i18n.T(col.LabelRU, col.LabelEN).In(lang), Def: col.Definition}
		next := compile.DrillOptions{Sort: []reports.Sort{{By: col.Key}}}
		if len(opts.Sort) > 0 && opts.Sort[0].By == col.Key {
			h.Sort = "ascending"
			if opts.Sort[0].Desc {
				h.Sort = "descending"
			}
			next.Sort[0].Desc = !opts.Sort[0].Desc
		}
		h.Href = "/drill?" + drillValues(c, next).Encode()
		heads = append(heads, h)
	}
	rows := make([][]drillCell, 0, len(res.Rows))
	for _, r := range res.Rows {
		cells := make([]drillCell, len(res.Columns))
		deal := "/deals/" + url.PathEscape(cellText(r[0]))
		idKey, titleKey := "id", "title"
		if j := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == "deal_id" }); j >= 0 {
			idKey, titleKey, deal = "deal_id", "deal_title", ""
			if r[j] != nil {
				deal = "/deals/" + url.PathEscape(cellText(r[j]))
			}
		}
		for i, col := range res.Columns {
			cells[i] = drillCell{Text: cellIn(lang, col, r[i]), Num: col.Type == reports.TypeMoney || col.Type == reports.TypeInteger}
			switch col.Key {
			case idKey:
				cells[i].Text, cells[i].Href = cellText(r[i]), deal
			case titleKey:
				cells[i].Href = deal
			case "currency": // a sign, as the amounts are written
				if code := cellText(r[i]); code == "RUB" {
					cells[i].Text = "₽"
				} else if sign, ok := currencySigns[code]; ok {
					cells[i].Text = sign
				}
			}
		}
		rows = append(rows, cells)
	}
	return heads, rows
}
