package pages

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/kinds"
	"github.com/voronka/voronka/reports/saved"
)

// panelIDs are each dashboard's panels in order.
var panelIDs = map[string][]string{
	"director": {"plan_fact", "forecast", "forecast_accuracy", "funnel", "stages", "won_month", "by_source", "leaders", "heatmap"},
	"manager":  {"plan_fact", "funnel", "stages", "won_month", "by_source"},
	"activity": {"team_activity", "heatmap"},
	"finance":  {"receivables", "receivables_companies", "acts_payments", "payments_plan"},
}

// panels runs every report of the dashboard for q.p, in parallel; a
// failing report shows its error in its panel, the others still render.
func (s *handlers) panels(ctx context.Context, q dashQuery) []panel {
	ids := panelIDs[q.page]
	out := make([]panel, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { out[i] = s.panel(ctx, q, id) })
	}
	wg.Wait()
	return out
}

// comparing are the panels that run with the dashboard's comparison: a
// reached funnel, grouped reports and the manager activity panels. The
// others' kinds cannot compare; with a comparison on, their note says so
// (no_compare_<id>).
var comparing = map[string]bool{"funnel": true, "won_month": true, "by_source": true, "team_activity": true, "leaders": true}

// panel runs one panel's report and charts it: each with the period,
// the pipeline and the manager of q, and with q's comparison when its
// report can compare (else its note says it is not compared, and why).
func (s *handlers) panel(ctx context.Context, q dashQuery, id string) panel {
	pn := s.panelOf(ctx, q, id)
	if q.compare != "" && !comparing[id] {
		pn.Note = strings.TrimSpace(pn.Note + " " + q.t("no_compare") + " " + q.t("no_compare_"+id))
	}
	return pn
}

// panelOf runs the panel id.
func (s *handlers) panelOf(ctx context.Context, q dashQuery, id string) panel {
	switch id {
	case "funnel":
		return s.funnelPanel(ctx, q)
	case "stages":
		def := reports.Definition{Kind: reports.KindStagePercentages, Period: q.period(),
			Params: panelParamsJSON(panelParams{Pipeline: q.pl, Responsible: q.manager})}
		pn := s.runPanel(ctx, q, id, def, func(r *reports.Result) chartOptions {
			return barChart(r, "stage_group", series{Col: stagesSeries[0]}, series{Col: stagesSeries[1]}, series{Col: stagesSeries[2], Axis: 1})
		})
		if pn.result != nil { // the kind's code (open, won…) says nothing the group's name does not
			pn.Table = viewTableUpTo(without(pn.result, "stage_kind"), dashRows, q.lang)
			stagesLinks(q, &pn, def)
		}
		return pn
	case "won_month":
		pn := s.wonPanel(ctx, q)
		reportLinks(q, &pn, "count", "amount_sum")
		return pn
	case "by_source":
		def := withResponsible(standardDef("deals_by_source", q.pl), "responsible", q.manager)
		if def.Compare = q.compare; q.compare != "" {
			pn := s.runPanel(ctx, q, id, def, func(r *reports.Result) chartOptions { return comparedRankChart(r, "source_name", "count") })
			if pn.result != nil {
				pn.Height = comparedHeight(len(pn.result.Rows))
			}
			reportLinks(q, &pn, "count", "amount_sum")
			return pn
		}
		pn := s.runPanel(ctx, q, id, def,
			func(r *reports.Result) chartOptions { return pieChart(r, "source_name", "count", q.t("others")) })
		reportLinks(q, &pn, "count", "amount_sum")
		return pn
	case "heatmap":
		return s.heatmapPanel(ctx, q)
	case "plan_fact":
		return s.planFactPanel(ctx, q)
	case "forecast":
		return s.forecastPanel(ctx, q)
	case "forecast_accuracy":
		return s.accuracyPanel(ctx, q)
	case "receivables", "receivables_companies", "acts_payments", "payments_plan":
		return s.financePanel(ctx, q, id)
	}
	return s.activityPanel(ctx, q, id)
}

// activityPanel is the team's activity (team_activity) or the manager
// leaderboard (leaders): the manager activity report over q's pipeline
// (its deals and the activities on them; every pipeline when none),
// only q's manager's row when one is chosen. With q's comparison each
// figure has the period before's beside it (the table's k_prev and
// k_change, a lighter bar or stack in the chart).
func (s *handlers) activityPanel(ctx context.Context, q dashQuery, id string) panel {
	chart := func(r *reports.Result) chartOptions { return rankChart(r, "responsible_name", "won_amount") }
	if q.compare != "" {
		chart = func(r *reports.Result) chartOptions { return comparedRankChart(r, "responsible_name", "won_amount") }
	}
	if id == "team_activity" {
		chart = func(r *reports.Result) chartOptions {
			return stackedRows(r, "responsible_name", "calls", "emails", "meetings", "tasks_done")
		}
	}
	def := reports.Definition{Kind: reports.KindManagerActivity, Params: panelParamsJSON(panelParams{Pipeline: q.pl})}
	def.Compare = q.compare
	pn := s.runPanel(ctx, q, id, def, chart)
	def.Compare = "" // a drill lists the records of the period itself
	pn.Note = q.pipelineNote()
	rows := rankHeight
	if q.compare != "" {
		rows = comparedHeight
	}
	if id == "team_activity" && pn.result != nil {
		pn.Height = rows(len(pn.result.Rows)) + 40
	}
	if id == "leaders" && pn.result != nil {
		pn.result = ranked(pn.result, "won_amount")
		pn.Table, pn.Height = viewTableUpTo(pn.result, dashRows, q.lang), rows(len(pn.result.Rows))
		leaderLinks(q, &pn, def)
	}
	return pn
}

// kindDrill is the drill page of a number of a kind's panel on q's
// dashboard: def (as the panel ran it, over q's period) narrowed to
// cell, the number in column.
func kindDrill(q dashQuery, panelID string, def reports.Definition, cell map[string]any, column string) string {
	def.Period = q.period()
	return cellDrill(q, panelID, def, cell, column)
}

// cellDrill is the drill page of def's answer's cell (its key columns'
// values as the answer's rows hold them; nil: the totals), the number in
// column, in q's language.
func cellDrill(q dashQuery, panelID string, def reports.Definition, cell map[string]any, column string) string {
	def.Lang = q.lang
	raw := map[string]json.RawMessage{}
	for k, v := range cell {
		b, err := json.Marshal(deref(v))
		if err != nil {
			return ""
		}
		raw[k] = b
	}
	return drillURL(drillAsk{From: q.page, Panel: panelID, Back: q.values().Encode(),
		Report: &kinds.DrillRequest{Definition: &def, Cell: raw, Column: column}})
}

// leaderLinks links the leaderboard's numbers on the director's
// dashboard to their records: a manager's cell to that manager's (the
// activities, deals or deals won the column counts), the team's totals
// to everyone's, each chart bar (the won amount) to the manager's won
// deals.
func leaderLinks(q dashQuery, pn *panel, def reports.Definition) {
	tv, res := pn.Table, pn.result
	who := colIndex(res, "responsible")
	if q.page != "director" || tv == nil || who < 0 {
		return
	}
	row := func(i int) map[string]any { return map[string]any{"responsible": res.Rows[i][who]} }
	tv.Links = make([][]string, len(tv.Rows))
	tv.TotalLinks = make([]string, len(tv.Columns))
	for _, c := range kinds.CountableColumns(def.Kind, q.lang) {
		j := slices.IndexFunc(tv.Columns, func(tc reports.Column) bool { return tc.Key == c.Key })
		if j < 0 {
			continue
		}
		for i := range tv.Rows {
			if tv.Links[i] == nil {
				tv.Links[i] = make([]string, len(tv.Columns))
			}
			if tv.Rows[i][j] != "—" {
				tv.Links[i][j] = kindDrill(q, pn.ID, def, row(i), c.Key)
			}
		}
		if tv.Totals != nil && tv.Totals[j] != "—" {
			tv.TotalLinks[j] = kindDrill(q, pn.ID, def, nil, c.Key)
		}
	}
	bars := make([]string, len(res.Rows))
	for i := range res.Rows {
		bars[i] = kindDrill(q, pn.ID, def, row(i), "won_amount")
	}
	for _, s := range asList(pn.Chart["series"]) { // the period's bars, not a compared chart's bars before
		if sm, _ := s.(map[string]any); sm["name"] == columnLabel(res, "won_amount") {
			drillSteps(chartOptions{"series": []any{sm}}, bars)
		}
	}
}

// peopleKinds are the kinds of the people panels, whose drills
// kindCellWords words (the user, the bucket, the column).
var peopleKinds = map[string]bool{reports.KindManagerActivity: true, reports.KindActivityOutcomes: true, reports.KindActivityHeatmap: true}

// kindCellWords is the number of a kind's drill in words: whose (the
// user by name, or the whole team), the heatmap's bucket (a day with its
// weekday, a week, a month), then the column's label: «Иванов Иван:
// Звонки», as a funnel's «Презентация: дошли».
func (s *handlers) kindCellWords(ctx context.Context, r *kinds.DrillRequest, lang string) string {
	var parts []string
	for _, k := range []string{"responsible", "owner"} {
		if raw, ok := r.Cell[k]; ok {
			parts = append(parts, s.userWords(ctx, raw, lang))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, messages.T(lang, "drill_team"))
	}
	for k, raw := range r.Cell {
		if grain, ok := strings.CutPrefix(k, "created_at_"); ok {
			parts = append(parts, bucketWords(lang, grain, raw))
		}
	}
	words := strings.Join(parts, ", ")
	for _, c := range kinds.CountableColumns(r.Definition.Kind, lang) {
		if c.Key == r.Column && c.Key != "count" {
			words += ": " + c.Label
		}
	}
	return words
}

// userWords is a user id (as a number or its digits) as the user's name.
func (s *handlers) userWords(ctx context.Context, raw json.RawMessage, lang string) string {
	var v any
	_ = json.Unmarshal(raw, &v)
	id, err := strconv.ParseInt(cellText(v), 10, 64)
	if err == nil {
		if u, err := s.Store.User(ctx, id); err == nil {
			return u.Name
		}
	}
	return messages.T(lang, "drill_empty")
}

// reportLinks links a grouped panel's cells of the columns keys (its
// count and amount: the records of a cell add up to them) and its
// totals to their drill pages: the definition it ran, without the
// comparison, narrowed to the row's dimension values; and a chart of
// one dimension's elements (drillRows: a line's points, a slice). A
// compared panel's previous-period cells (k_prev of keys, their totals)
// and series open the previous period's records (prevAsk); a k_change
// cell is a ratio and opens nothing.
func reportLinks(q dashQuery, pn *panel, keys ...string) {
	if pn.result == nil || pn.grouped == nil || pn.Table == nil || q.page != "director" && q.page != "manager" {
		return
	}
	def, res := *pn.grouped, pn.result
	def.Compare = ""
	ask := func(cell map[string]json.RawMessage) string {
		return drillURL(drillAsk{From: q.page, Panel: pn.ID, Back: q.values().Encode(), Report: &kinds.DrillRequest{Definition: &def, Cell: cell}})
	}
	cellOf := func(i int) map[string]json.RawMessage {
		cell := map[string]json.RawMessage{}
		for d := 0; d < len(def.Dimensions) && d < len(res.Columns); d++ {
			b, err := json.Marshal(deref(res.Rows[i][d]))
			if err != nil {
				return nil
			}
			cell[res.Columns[d].Key] = b
		}
		return cell
	}
	linkOf := func(ask func(map[string]json.RawMessage) string) func(i int) string {
		return func(i int) string {
			if cell := cellOf(i); cell != nil {
				return ask(cell)
			}
			return ""
		}
	}
	row, prevRow := linkOf(ask), func(int) string { return "" }
	pn.Table.linkColumns(keys, row, ask(map[string]json.RawMessage{}))
	if res.Meta.Compared != nil {
		prev := prevAsk(q, pn.ID, pn.grouped, res)
		prevKeys := make([]string, len(keys))
		for i, k := range keys {
			prevKeys[i] = k + "_prev"
		}
		prevRow = linkOf(prev)
		pn.Table.addLinks(prevKeys, prevRow, prev(map[string]json.RawMessage{}))
	}
	if len(def.Dimensions) == 1 { // the chart's elements too: one a row
		pn.Chart = drillRows(pn.Chart, res, row, prevRow)
	}
}

// prevAsk is the drill page of a previous-period cell of res, the
// answer of the compared definition def (cell: the row's dimension
// values as res holds them, {} its totals): engine.PreviousCell, the
// drill the API gives for it too ("" when the row has no previous
// bucket).
func prevAsk(q dashQuery, panelID string, def *reports.Definition, res *reports.Result) func(map[string]json.RawMessage) string {
	return func(cell map[string]json.RawMessage) string {
		pdef, pcell, ok := engine.PreviousCell(def, res, cell)
		if !ok {
			return ""
		}
		return drillURL(drillAsk{From: q.page, Panel: panelID, Back: q.values().Encode(), Prev: res.Meta.Compared.Mode,
			Report: &kinds.DrillRequest{Definition: pdef, Cell: pcell}})
	}
}

// addLinks links the cells of the columns keys as linkColumns does,
// keeping the links the table has.
func (tv *tableView) addLinks(keys []string, rowURL func(i int) string, total string) {
	if tv == nil {
		return
	}
	links, totals := tv.Links, tv.TotalLinks
	tv.linkColumns(keys, rowURL, total)
	keep := func(to, from []string) {
		for j := range min(len(to), len(from)) {
			if from[j] != "" {
				to[j] = from[j]
			}
		}
	}
	for i := range min(len(tv.Links), len(links)) {
		keep(tv.Links[i], links[i])
	}
	keep(tv.TotalLinks, totals)
}

// stagesSeries are the stages panel's chart series, in order.
var stagesSeries = []string{"amount", "weighted_amount", "count"}

// stagesLinks links the stages panel's numbers to their drill pages:
// each row's count, amounts and shares (and the totals') and each bar
// of its chart open the deals of the row (its stage group, kind and
// probability: stage_percentages' row key), the column named, the
// definition the panel ran.
func stagesLinks(q dashQuery, pn *panel, def reports.Definition) {
	if q.page != "director" && q.page != "manager" {
		return
	}
	res := pn.result
	row := func(i int, col string) string {
		cell := map[string]any{}
		for _, k := range []string{"stage_group", "stage_kind", "probability"} {
			j := colIndex(res, k)
			if j < 0 {
				return ""
			}
			cell[k] = res.Rows[i][j]
		}
		return cellDrill(q, pn.ID, def, cell, col)
	}
	tv := pn.Table
	links, totals := make([][]string, len(tv.Rows)), make([]string, len(tv.Totals))
	for i := range links {
		links[i] = make([]string, len(tv.Columns))
	}
	for _, col := range []string{"count", "amount", "weighted_amount", "count_share", "amount_share"} {
		tv.linkColumns([]string{col}, func(i int) string { return row(i, col) }, cellDrill(q, pn.ID, def, nil, col))
		for i := range links {
			for j, u := range tv.Links[i] {
				links[i][j] = cmp.Or(links[i][j], u)
			}
		}
		for j, u := range tv.TotalLinks {
			totals[j] = cmp.Or(totals[j], u)
		}
	}
	tv.Links, tv.TotalLinks = links, totals
	series := map[string]string{} // a series' name → its column (finish drops a series of zeros: not by position)
	for _, col := range stagesSeries {
		series[columnLabel(res, col)] = col
	}
	pn.Chart = drillChart(pn.Chart, func(name string, i int, _ string) string {
		if col, ok := series[name]; ok && i < len(res.Rows) {
			return row(i, col)
		}
		return ""
	})
}

// without is res without the column key (its XLSX keeps it).
func without(res *reports.Result, key string) *reports.Result {
	var keys []string
	for _, c := range res.Columns {
		if c.Key != key {
			keys = append(keys, c.Key)
		}
	}
	return res.Select(keys...)
}

// pipelineNote says which deals and activities a panel over activities
// counts.
func (q dashQuery) pipelineNote() string {
	if q.pl == "" {
		return q.t("all_note")
	}
	return fmt.Sprintf(q.t("pipeline_note"), q.plName)
}

// panelParams are the params the dashboards give report kinds.
type panelParams struct {
	Pipeline    string `json:"pipeline,omitempty"`
	Responsible int64  `json:"responsible,omitempty"`
	Owner       int64  `json:"owner,omitempty"`
}

// panelParamsJSON is p as a definition's params.
func panelParamsJSON(p panelParams) json.RawMessage {
	b, _ := json.Marshal(p)
	return b
}

// runPanel runs def over the dashboard's period and charts its result.
func (s *handlers) runPanel(ctx context.Context, q dashQuery, key string, def reports.Definition, chart func(*reports.Result) chartOptions) panel {
	per := q.period()
	if def.Period != nil {
		per.Field = def.Period.Field
	}
	def.Period = per
	return s.runDef(ctx, q, key, def, chart)
}

// runDef runs def as it is (a panel whose report decides its own
// months) and charts its result.
func (s *handlers) runDef(ctx context.Context, q dashQuery, key string, def reports.Definition, chart func(*reports.Result) chartOptions) panel {
	pn := panel{ID: key, Title: q.t(key), ownPeriod: def.Period == nil}
	if s.Reports == nil {
		pn.Err = q.t("unavailable")
		return pn
	}
	def.Lang = q.lang
	res, err := s.Reports.Run(ctx, q.p, &def)
	if err != nil {
		pn.Err = s.panelError(err, q.lang)
		return pn
	}
	if def.Kind == "" || def.Kind == reports.KindGrouped {
		pn.grouped = &def
	}
	pn.timing.add(res.Meta)
	res = chronological(res)
	if def.Kind == reports.KindManagerActivity {
		res = onlyResponsible(res, q.manager)
	}
	pn.result, pn.Table, pn.Chart = res, viewTableUpTo(res, dashRows, q.lang), chart(res)
	pn.AsOf = computedAt(res.Meta.DataAsOf, q.lang)
	return pn
}

// period is the dashboard's period: the date range when given (the
// engine validates it), else the preset.
func (q dashQuery) period() *reports.Period {
	if q.from != "" {
		return &reports.Period{From: q.from, To: q.to}
	}
	return &reports.Period{Preset: q.preset}
}

// standardDef is a standard report's definition restricted to pipeline
// pl (a copy: the catalog is shared).
func standardDef(id, pl string) reports.Definition {
	sr, _ := reports.Standard(id)
	d := sr.Definition
	d.Filters = append(append([]reports.Filter(nil), d.Filters...),
		reports.Filter{Field: "pipeline", Op: "eq", Value: json.RawMessage(strconv.Quote(pl))})
	return d
}

// runEntry runs the standard or saved report p asks for by id with the
// overrides o (its page).
func (s *handlers) runEntry(c *fiber.Ctx, p domain.Principal, id string, o saved.Overrides) (*reports.Result, error) {
	_, def, err := s.Saved.DefinitionWith(c.UserContext(), p, id, o)
	if err != nil {
		return nil, err
	}
	return s.Reports.Run(c.UserContext(), p, &def)
}

// withAsOf adds as_of to a report's address when one is given.
func withAsOf(v url.Values, asOf string) url.Values {
	if asOf != "" {
		v.Set("as_of", asOf)
	}
	return v
}

// planFactPanel is this month's plan-fact of won roubles (the plan_fact
// report, whatever the dashboard's period: a plan is a month's; over
// every pipeline, as plans are set for the whole company's sales unless
// finance splits them), a manager's row when one is chosen (a manager sees their
// own): per manager a bar of the fact inside the outline of the plan,
// the run-rate forecast a pale bar behind; the note has the team's
// percent, forecast and the working days passed.
func (s *handlers) planFactPanel(ctx context.Context, q dashQuery) panel {
	def := reports.Definition{Kind: reports.KindPlanFact,
		Params: jsonParams(map[string]string{"metric": "won_amount"})}
	pn := s.runDef(ctx, q, "plan_fact", def, planFactChart)
	if pn.result == nil {
		return pn
	}
	pn.result = onlyResponsible(pn.result, q.manager)
	pn.Chart = planFactChart(pn.result)
	pn.Table = viewTableUpTo(without(without(pn.result, "working_days"), "working_days_passed"), dashRows, q.lang)
	pn.Height = rankHeight(len(pn.result.Rows)) + 40
	pn.Title = fmt.Sprintf(q.t("plan_fact_title"), i18n.Month(q.lang, pn.result.Meta.From.In(moscow)))
	pn.Note = planFactNote(pn.result, q) + ". " + q.t("plan_all_pipelines")
	res := pn.result
	planLinks(q, &pn, def, []string{"fact"}, func(i int) map[string]any { return map[string]any{"responsible": res.Rows[i][0]} })
	return pn
}

// planFactNote is the team's (or the one manager's) figures in a line:
// percent of the plan, the run-rate forecast and its percent (once a
// working day has passed), the working days passed.
func planFactNote(res *reports.Result, q dashQuery) string {
	row := res.Totals
	if len(res.Totals) == 0 || q.manager != 0 {
		if len(res.Rows) != 1 {
			return q.t("plan_fact_none")
		}
		row = res.Rows[0]
	}
	cell := func(key string) (reports.Column, any) {
		i := colIndex(res, key)
		return res.Columns[i], row[i]
	}
	planCol, plan := cell("plan")
	_, fact := cell("fact")
	fcCol, forecast := cell("forecast")
	_, days := cell("working_days")
	_, passed := cell("working_days_passed")
	pct := reports.Column{Type: reports.TypePercent}
	var parts []string
	p, _ := number(plan)
	if plan == nil || p == 0 {
		parts = append(parts, q.t("plan_fact_no_plan"))
	} else {
		f, _ := number(fact)
		parts = append(parts, fmt.Sprintf(q.t("plan_fact_done"), cellIn(q.lang, pct, f/p), cellIn(q.lang, planCol, plan)))
	}
	switch fc, _ := number(forecast); {
	case forecast == nil:
		parts = append(parts, q.t("plan_fact_later"))
	case plan == nil || p == 0:
		parts = append(parts, fmt.Sprintf(q.t("plan_fact_forecast"), cellIn(q.lang, fcCol, forecast)))
	default:
		parts = append(parts, fmt.Sprintf(q.t("plan_fact_forecast_of"), cellIn(q.lang, fcCol, forecast), cellIn(q.lang, pct, fc/p)))
	}
	parts = append(parts, fmt.Sprintf(q.t("plan_fact_days"), passed, days))
	return strings.Join(parts, " · ")
}

// planFactChart: per manager, the forecast (pale, behind), the fact and
// the plan's outline, overlapping on one band.
func planFactChart(res *reports.Result) chartOptions {
	names := categories(res, "responsible_name")
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "top"}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "3%", Right: "12%", Top: "36", Bottom: "10"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}))...)
	c.SetXAxis(names).XYReversal()
	bars := func(col string) []opts.BarData {
		var data []opts.BarData
		for _, v := range values(res, col) {
			data = append(data, opts.BarData{Value: v})
		}
		return data
	}
	c.AddSeries(columnLabel(res, "forecast"), bars("forecast"),
		charts.WithBarChartOpts(opts.BarChart{BarGap: "-100%", BarCategoryGap: "35%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#c6dbef"}))
	c.AddSeries(columnLabel(res, "fact"), bars("fact"),
		charts.WithBarChartOpts(opts.BarChart{BarGap: "-100%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#2171b5"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Color: "#08306b"}))
	c.AddSeries(columnLabel(res, "plan"), bars("plan"),
		charts.WithBarChartOpts(opts.BarChart{BarGap: "-100%"}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "rgba(0,0,0,0)", BorderColor: "#d94801", BorderWidth: 2}))
	c.Validate()
	return ownColours(finish(c.JSON()))
}

// ownColours makes a chart's palette the colours its series are drawn
// in (their item or border colour), not finish's: the legend shows what
// is drawn.
func ownColours(o chartOptions) chartOptions {
	if m, ok := o["series"].([]any); ok {
		var colours []string
		for _, s := range m {
			sm, _ := s.(map[string]any)
			st, _ := sm["itemStyle"].(map[string]any)
			if bc, ok := st["borderColor"].(string); ok {
				colours = append(colours, bc)
			} else {
				colours = append(colours, fmt.Sprint(st["color"]))
			}
		}
		o["color"] = colours
	}
	return o
}

// forecastPanel is the team's forecast over this month and the next two
// (the forecast report by month over every pipeline, as the plan-fact;
// the chosen manager's deals and plan): per month a column of won and,
// beside it, the open deals expected to close stacked by forecast
// category (commit, best case, pipeline: together the best case), and
// the plan's outline.
func (s *handlers) forecastPanel(ctx context.Context, q dashQuery) panel {
	def := reports.Definition{Kind: reports.KindForecast,
		Params: jsonParams(map[string]any{"months": 3, "by": "month", "responsible": q.manager})}
	pn := s.runDef(ctx, q, "forecast", def, forecastChart)
	pn.Note = q.t("forecast_note") + " " + q.t("plan_all_pipelines")
	planLinks(q, &pn, def, []string{"won", "best_case", "weighted", "cat_commit", "cat_best_case", "cat_pipeline"}, monthCell(pn.result))
	return pn
}

// forecastChart: per month, won (green), the open deals by category
// stacked beside it (dark to pale blue as they grow less certain) and
// the plan, an outlined column.
func forecastChart(res *reports.Result) chartOptions {
	c := charts.NewBar()
	c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0"}}))...)
	c.SetXAxis(categories(res, "month"))
	add := func(col, stack string, style opts.ItemStyle) {
		var data []opts.BarData
		for _, v := range values(res, col) {
			data = append(data, opts.BarData{Value: v})
		}
		c.AddSeries(columnLabel(res, col), data, charts.WithBarChartOpts(opts.BarChart{Stack: stack}),
			charts.WithItemStyleOpts(style))
	}
	add("won", "won", opts.ItemStyle{Color: "#2f8a4c"})
	add("cat_commit", "open", opts.ItemStyle{Color: "#08519c"})
	add("cat_best_case", "open", opts.ItemStyle{Color: "#4292c6"})
	add("cat_pipeline", "open", opts.ItemStyle{Color: "#9ecae1"})
	add("plan", "plan", opts.ItemStyle{Color: "rgba(0,0,0,0)", BorderColor: "#d94801", BorderWidth: 2})
	c.Validate()
	return ownColours(finish(c.JSON()))
}

// accuracyPanel is how good the forecast was over the three months
// before this one (the forecast accuracy report by month over every
// pipeline, the chosen manager's deals): per month the weighted forecast
// as it stood when the month began beside what was won; the note has
// the last month's accuracy.
func (s *handlers) accuracyPanel(ctx context.Context, q dashQuery) panel {
	def := reports.Definition{Kind: reports.KindForecastAccuracy,
		Params: jsonParams(map[string]any{"months": 3, "by": "month", "responsible": q.manager})}
	pn := s.runDef(ctx, q, "forecast_accuracy", def, func(res *reports.Result) chartOptions {
		c := charts.NewBar()
		c.SetGlobalOptions(append(baseOpts(), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
			charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0"}}))...)
		c.SetXAxis(categories(res, "month"))
		for _, sr := range []struct{ col, colour string }{{"forecast_weighted", "#6baed6"}, {"won", "#2f8a4c"}} {
			var data []opts.BarData
			for _, v := range values(res, sr.col) {
				data = append(data, opts.BarData{Value: v})
			}
			c.AddSeries(columnLabel(res, sr.col), data, charts.WithBarChartOpts(opts.BarChart{}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: sr.colour}))
		}
		c.Validate()
		return ownColours(finish(c.JSON()))
	})
	if pn.result == nil {
		return pn
	}
	pn.Note = accuracyNote(pn.result, q) + " " + q.t("accuracy_note") + " " + q.t("plan_all_pipelines")
	planLinks(q, &pn, def, []string{"forecast_best_case", "forecast_weighted", "forecast_commit", "won", "won_forecast"}, monthCell(pn.result))
	return pn
}

// accuracyNote is the last month's accuracy in a line: "Точность за
// февраль 2025: 85,0 %", or that it had no weighted forecast.
func accuracyNote(res *reports.Result, q dashQuery) string {
	i, m := colIndex(res, "accuracy"), colIndex(res, "month")
	if len(res.Rows) == 0 || i < 0 || m < 0 {
		return q.t("accuracy_none")
	}
	last := res.Rows[len(res.Rows)-1]
	month := cellText(last[m])
	if t, err := time.ParseInLocation(time.DateOnly, month, moscow); err == nil {
		month = i18n.Month(q.lang, t)
	}
	if deref(last[i]) == nil {
		return fmt.Sprintf(q.t("accuracy_last_none"), month)
	}
	return fmt.Sprintf(q.t("accuracy_last"), month, cellIn(q.lang, res.Columns[i], last[i]))
}

// jsonParams is v as a definition's params.
func jsonParams(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// ageColumns are the receivables' age buckets, youngest first, and their
// colours (green while not due, to dark red past 90 days).
var ageColumns = []struct{ key, colour string }{
	{"not_due", "#2f8a4c"}, {"days_0_30", "#fdae61"}, {"days_31_60", "#f46d43"}, {"days_61_90", "#d73027"}, {"days_over_90", "#7f0000"},
}

// financePanel runs a panel of the finance page (issue 19): receivables
// by age per manager (a stacked bar) or per manager and company (a
// table), acts against payments or payments planned against received
// by month of the page's period. Every figure opens its records.
func (s *handlers) financePanel(ctx context.Context, q dashQuery, id string) panel {
	figures := []string{"acts", "received"}
	var pn panel
	var def reports.Definition
	cell := func(i int) map[string]any { return map[string]any{"month": pn.result.Rows[i][0]} }
	switch id {
	case "receivables", "receivables_companies":
		by := map[string]string{"receivables": "responsible", "receivables_companies": "responsible_company"}[id]
		def = reports.Definition{Kind: reports.KindReceivables, Params: jsonParams(map[string]any{"by": by})}
		chart := func(r *reports.Result) chartOptions { return ageChart(r) }
		if id == "receivables_companies" {
			chart = func(*reports.Result) chartOptions { return nil }
		}
		pn = s.runDef(ctx, q, id, def, chart)
		if pn.result != nil && pn.Chart != nil {
			pn.Height = rankHeight(len(pn.result.Rows)) + 40 // and the legend above
		}
		pn.Note = q.t("receivables_note")
		figures = []string{"total"}
		for _, a := range ageColumns {
			figures = append(figures, a.key)
		}
		cell = func(i int) map[string]any {
			c := map[string]any{"responsible": pn.result.Rows[i][0]}
			if by == "responsible_company" {
				c["company"] = pn.result.Rows[i][2]
			}
			return c
		}
	case "acts_payments":
		def = reports.Definition{Kind: reports.KindActsPayments, Period: q.period()}
		pn = s.runDef(ctx, q, id, def, func(r *reports.Result) chartOptions {
			return barChart(r, "month", series{Col: "acts"}, series{Col: "received"})
		})
	default:
		def = reports.Definition{Kind: reports.KindPaymentsPlanFact, Period: q.period()}
		figures = []string{"planned", "received"}
		pn = s.runDef(ctx, q, id, def, func(r *reports.Result) chartOptions {
			return barChart(r, "month", series{Col: "planned"}, series{Col: "received"})
		})
	}
	if pn.result == nil {
		return pn
	}
	pn.Table = viewTableUpTo(without(without(pn.result, "responsible"), "company"), dashRows, q.lang)
	planLinks(q, &pn, def, figures, cell)
	return pn
}

// ageChart is the receivables per manager: a horizontal bar each, the
// names in full on the left, its age buckets stacked from not yet due
// (green) to over 90 days (dark red).
func ageChart(res *reports.Result) chartOptions {
	var keys []string
	colour := map[string]string{}
	for _, a := range ageColumns {
		keys = append(keys, a.key)
		colour[columnLabel(res, a.key)] = a.colour
	}
	o := stackedRows(res, "responsible_name", keys...)
	var colours []string
	for _, s := range asList(o["series"]) { // a series of zeros is not drawn: colour each by its name
		if sm, ok := s.(map[string]any); ok {
			name, _ := sm["name"].(string)
			sm["itemStyle"] = map[string]any{"color": colour[name]}
			colours = append(colours, colour[name])
		}
	}
	o["color"] = colours
	for _, ax := range asList(o["xAxis"]) { // roubles in millions run into each other on a narrow panel
		if am, ok := ax.(map[string]any); ok {
			am["splitNumber"] = 3
			label, _ := am["axisLabel"].(map[string]any)
			if label == nil {
				label = map[string]any{}
			}
			label["hideOverlap"] = true
			am["axisLabel"] = label
		}
	}
	return o
}

// moneyKinds are the finance page's kinds, whose drills moneyCrumb words.
var moneyKinds = map[string]bool{reports.KindReceivables: true, reports.KindActsPayments: true, reports.KindPaymentsPlanFact: true}

// moneyCrumb is a finance figure in words, the breadcrumb's last step:
// the month, the manager and the company (by name), and the figure
// («31–60 дней», «оплаты получены»).
func (s *handlers) moneyCrumb(ctx context.Context, r *kinds.DrillRequest, lang string) string {
	var parts []string
	if raw, ok := r.Cell["month"]; ok {
		parts = append(parts, cellWords(lang, "month", raw))
	}
	if raw, ok := r.Cell["responsible"]; ok {
		parts = append(parts, s.userWords(ctx, raw, lang))
	}
	if raw, ok := r.Cell["company"]; ok {
		name := messages.T(lang, "drill_empty")
		if id, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			if c, err := s.Store.GetCompany(ctx, domain.System, id); err == nil {
				name = c.Name
			}
		}
		parts = append(parts, name)
	}
	if len(parts) == 0 {
		parts = []string{messages.T(lang, "totals_row")}
	}
	col := r.Column
	if col == "" && r.Definition.Kind == reports.KindReceivables {
		col = "total"
	}
	if text, ok := messages["drill_money_"+col]; ok {
		parts = append(parts, text.In(lang))
	}
	return strings.Join(parts, ", ")
}

var _ = messages.Merge(financeMessages)

// financeMessages are the finance page's words (issue 19).
var financeMessages = i18n.Catalog{
	"finance":               i18n.T("Финансы", "Finance"),
	"receivables":           i18n.T("Дебиторская задолженность по срокам", "Receivables by age"),
	"receivables_companies": i18n.T("Задолженность по менеджерам и компаниям", "Receivables by manager and company"),
	"receivables_note": i18n.T("Неоплаченный остаток выставленных счетов (сумма минус полученные оплаты) в рублях по курсу на дату счёта; срок — дни после даты оплаты на сегодня по Москве. Период страницы к задолженности не относится.",
		"What is left to pay on the issued invoices (amount less the payments received) in roubles at the rate of the invoice date; the age is the days past the due date today in Moscow. The page's period does not apply."),
	"acts_payments":            i18n.T("Акты и оплаты по месяцам", "Acts signed and payments received by month"),
	"payments_plan":            i18n.T("Оплаты: план и факт по месяцам", "Payments planned and received by month"),
	"drill_money_total":        i18n.T("вся задолженность", "all receivables"),
	"drill_money_not_due":      i18n.T("срок не наступил", "not yet due"),
	"drill_money_days_0_30":    i18n.T("просрочка 0–30 дней", "0–30 days past due"),
	"drill_money_days_31_60":   i18n.T("просрочка 31–60 дней", "31–60 days past due"),
	"drill_money_days_61_90":   i18n.T("просрочка 61–90 дней", "61–90 days past due"),
	"drill_money_days_over_90": i18n.T("просрочка более 90 дней", "over 90 days past due"),
	"drill_money_acts":         i18n.T("акты подписаны", "acts signed"),
	"drill_money_received":     i18n.T("оплаты получены", "payments received"),
	"drill_money_planned":      i18n.T("оплаты запланированы", "payments planned"),
	"invoices_one":             i18n.T("счёт", "invoice"),
	"invoices_few":             i18n.T("счёта", "invoices"),
	"invoices_many":            i18n.T("счетов", "invoices"),
	"acts_one":                 i18n.T("акт", "act"),
	"acts_few":                 i18n.T("акта", "acts"),
	"acts_many":                i18n.T("актов", "acts"),
	"payments_one":             i18n.T("платёж", "payment"),
	"payments_few":             i18n.T("платежа", "payments"),
	"payments_many":            i18n.T("платежей", "payments"),
}
