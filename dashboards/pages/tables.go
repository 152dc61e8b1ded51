package pages

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// tableView is a result ready for a template: cells formatted by their
// column's type in the reader's language (cellIn); each header
// carries its definition (a hover away). A code column beside its name
// column (a stage's code beside its name) is left out: the name says it
// in words.
type tableView struct {
	Columns []reports.Column
	Rows    [][]string
	Totals  []string
	Count   string
	Note    string // rows left out ("" when all are shown)
	// Links are the drill pages of the cells (by row, then shown
	// column; "" none), TotalLinks of the totals' cells.
	Links      [][]string
	TotalLinks []string
}

// linkColumns links the cells of the columns keys to the drill page:
// row i's to rowURL(i), the totals' to total ("" none); an empty cell
// (a dash) is never linked.
func (tv *tableView) linkColumns(keys []string, rowURL func(i int) string, total string) {
	if tv == nil {
		return
	}
	var cols []int
	for j, c := range tv.Columns {
		if slices.Contains(keys, c.Key) {
			cols = append(cols, j)
		}
	}
	link := func(cells []string, u string) []string {
		out := make([]string, len(cells))
		for _, j := range cols {
			if u != "" && cells[j] != "—" {
				out[j] = u
			}
		}
		return out
	}
	tv.Links = make([][]string, len(tv.Rows))
	for i, r := range tv.Rows {
		tv.Links[i] = link(r, rowURL(i))
	}
	if tv.Totals != nil {
		tv.TotalLinks = link(tv.Totals, total)
	}
}

// linkAt is the link of row i's cell j ("" none): {{linkAt $.Links $i $j}}.
func linkAt(links [][]string, i, j int) string {
	if i < len(links) && j < len(links[i]) {
		return links[i][j]
	}
	return ""
}

// totalLink is the link of the totals' cell j ("" none).
func totalLink(links []string, j int) string {
	if j < len(links) {
		return links[j]
	}
	return ""
}

// dashRows is how many rows a dashboard panel's table shows; its XLSX
// holds them all. A panel is a glance, and a 5,000-row heatmap table
// made the director's page 480 KB and its rendering most of a cached
// page's time (measured, BENCHMARKS.md "Dashboards").
const dashRows = 50

// viewTableUpTo is viewTable showing at most max rows, with a note
// saying how many there are.
func viewTableUpTo(res *reports.Result, max int, lang string) *tableView {
	tv := viewTable(res, lang)
	if tv != nil && len(tv.Rows) > max {
		tv.Note = fmt.Sprintf(messages.T(lang, "rows_shown"), countText(lang, max), countText(lang, len(tv.Rows)))
		tv.Rows = tv.Rows[:max]
	}
	return tv
}

// viewTable formats res for display in lang.
func viewTable(res *reports.Result, lang string) *tableView {
	if res == nil {
		return nil
	}
	shown := shownColumns(res.Columns)
	if res.Meta.Compared != nil {
		shown = comparedOrder(res.Columns, shown)
	}
	tv := &tableView{Count: countText(lang, res.Meta.RowCount)}
	for _, i := range shown {
		c := res.Columns[i]
		c.Label = pivotLabel(lang, c)
		tv.Columns = append(tv.Columns, c)
	}
	cols := res.Columns
	if res.Meta.Compared != nil {
		cols = changeColumns(cols)
	}
	for _, r := range res.Rows {
		tv.Rows = append(tv.Rows, formatRow(lang, cols, shown, r))
	}
	if res.Totals != nil {
		tv.Totals = formatRow(lang, cols, shown, res.Totals)
		if len(tv.Totals) > 0 && tv.Totals[0] == "—" { // the totals' label cell, as in the XLSX
			tv.Totals[0] = messages.T(lang, "totals_row")
		}
	}
	return tv
}

// shownColumns are the indexes of the columns a page shows: all but a
// code column whose name column is in the result too (stage and
// stage_name, source and source_name, pivot cells aside).
func shownColumns(cols []reports.Column) []int {
	keys := map[string]bool{}
	for _, c := range cols {
		keys[c.Key] = true
	}
	var out []int
	for i, c := range cols {
		if isCodeColumn(c.Key) && keys[c.Key+"_name"] {
			continue
		}
		out = append(out, i)
	}
	return out
}

// comparedOrder puts each measure's previous-period and change columns
// (k_prev, k_change) right after it: the API lists them after every
// column, a reader wants them side by side.
func comparedOrder(cols []reports.Column, shown []int) []int {
	at := map[string]int{}
	for _, i := range shown {
		at[cols[i].Key] = i
	}
	used := map[int]bool{}
	out := make([]int, 0, len(shown))
	for _, i := range shown {
		if used[i] {
			continue
		}
		out, used[i] = append(out, i), true
		for _, suffix := range []string{"_prev", "_change"} {
			if j, ok := at[cols[i].Key+suffix]; ok && !used[j] {
				out, used[j] = append(out, j), true
			}
		}
	}
	return out
}

// typeChange is the pages' own type of a compared answer's change
// columns (k_change, a ratio): cellIn writes it with an arrow.
const typeChange = "change"

// changeColumns are cols with each change column of a compared answer
// (k_change beside k_prev) typed typeChange.
func changeColumns(cols []reports.Column) []reports.Column {
	keys := map[string]bool{}
	for _, c := range cols {
		keys[c.Key] = true
	}
	out := make([]reports.Column, len(cols))
	for i, c := range cols {
		out[i] = c
		if base, ok := strings.CutSuffix(c.Key, "_change"); ok && keys[base+"_prev"] && c.Type == reports.TypePercent {
			out[i].Type = typeChange
		}
	}
	return out
}

// changeText is a change (a ratio) with its sign and an arrow: «▲
// +12,5 %» up, «▼ −8,0 %» down, «0,0 %» level; a dash when there is
// none (nothing before to compare with).
func changeText(lang string, v any) string {
	f, ok := number(deref(v))
	if deref(v) == nil || !ok {
		return "—"
	}
	p := i18n.Percent(lang, f, 1)
	switch {
	case strings.Trim(i18n.Number(lang, f*100, 1), "0,.") == "":
		return i18n.Percent(lang, 0, 1)
	case f > 0:
		return "▲ +" + p
	}
	return "▼ " + p
}

// deltaClass is a table cell's class by what it says: "up" for a change
// upwards (▲), "down" for one downwards (▼), "" for any other cell.
func deltaClass(text string) string {
	switch {
	case strings.HasPrefix(text, "▲"):
		return "up"
	case strings.HasPrefix(text, "▼"):
		return "down"
	}
	return ""
}

// chronological is a compared answer led by a date dimension with its
// rows in time order: the engine lists the buckets only the previous
// period has after the others. Any other result stays as it is.
func chronological(res *reports.Result) *reports.Result {
	if res == nil || res.Meta.Compared == nil || len(res.Columns) == 0 || res.Columns[0].Type != reports.TypeDate {
		return res
	}
	out := *res
	out.Rows = slices.Clone(res.Rows)
	slices.SortStableFunc(out.Rows, func(a, b []any) int { return cmp.Compare(cellText(a[0]), cellText(b[0])) })
	return &out
}

// isCodeColumn reports whether a column holds codes (a stage's, a
// pipeline's, a source's) that a name column puts in words.
func isCodeColumn(key string) bool {
	return !strings.Contains(key, "|") && (key == "stage" || key == "pipeline" || key == "source" ||
		strings.HasSuffix(key, "_stage"))
}

func formatRow(lang string, cols []reports.Column, shown []int, r []any) []string {
	out := make([]string, 0, len(shown))
	for _, i := range shown {
		var v any
		if i < len(r) {
			v = r[i]
		}
		out = append(out, cellIn(lang, cols[i], v))
	}
	return out
}

// countText is a row count in the reader's digits.
func countText(lang string, n int) string {
	return cellIn(lang, reports.Column{Type: reports.TypeInteger}, int64(n))
}

// cellIn is one cell as the reader of lang writes it, by its
// column's type: money `1 234,50 ₽`, a ratio `9,4 %`, counts grouped by
// thousands, dates `31.03.2026` (a month `июнь 2026`, by the column's
// grain), times `31.03.2026 14:05`, codes (stage kinds, activity types,
// statuses) in words; an empty cell is a dash.
func cellIn(lang string, col reports.Column, v any) string {
	v = deref(v)
	if v == nil {
		return "—"
	}
	switch col.Type {
	case typeChange:
		return changeText(lang, v)
	case reports.TypeMoney:
		if m, ok := v.(domain.Money); ok {
			return moneyText(lang, m, "")
		}
		if f, ok := number(v); ok {
			return i18n.Roubles(lang, strconv.FormatFloat(math.Abs(f), 'f', 2, 64), f < 0 && math.Abs(f) >= 0.005)
		}
	case reports.TypePercent:
		if f, ok := number(v); ok {
			return i18n.Percent(lang, f, 1)
		}
	case reports.TypeInteger:
		if f, ok := number(v); ok {
			return i18n.Integer(lang, int64(math.Round(f)))
		}
	case reports.TypeNumber:
		if f, ok := number(v); ok {
			return i18n.Decimal(lang, f, 2)
		}
	case reports.TypeDate:
		if t, ok := v.(time.Time); ok {
			v = t.Format(time.DateOnly)
		}
		if t, err := time.Parse(time.DateOnly, fmt.Sprint(v)); err == nil {
			return periodText(lang, grainOf(col.Key), t)
		}
	case reports.TypeDateTime:
		if t, err := time.Parse(time.RFC3339, fmt.Sprint(v)); err == nil {
			return i18n.DateTime(lang, t)
		}
	}
	return codeText(lang, col.Key, cellText(v))
}

// number reads a numeric cell: money, a float, an integer or their text.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case domain.Money:
		f, _ := x.Float64()
		return f, true
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	}
	f, err := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f, err == nil
}

// grainOf is the grain of a date column's key (<field>_<grain>, or the
// grain itself: the forecast's month), "" for a plain date.
func grainOf(key string) string {
	for _, g := range reports.Grains {
		if key == g || strings.HasSuffix(key, "_"+g) {
			return g
		}
	}
	return ""
}

// periodText is the period starting at t of a grain: a month `июнь
// 2026`, a quarter `II кв. 2026`, a year `2026`, else the day.
func periodText(lang, grain string, t time.Time) string {
	switch grain {
	case "month":
		return i18n.Month(lang, t)
	case "quarter":
		return i18n.Quarter(lang, t)
	case "year":
		return strconv.Itoa(t.Year())
	}
	return i18n.Date(lang, t)
}

// codeVocabulary is the vocabulary of the columns that hold codes: stage
// kinds, activity types and directions, invoice and payment statuses.
var codeVocabulary = map[string]string{"stage_kind": "kind", "to_stage_kind": "kind", "from_stage_kind": "kind",
	"type": "act", "direction": "dir", "status": "status"}

// codeText is a code of a coded column in words (val_<vocabulary>_<code>
// in the catalogue), any other text as it is.
func codeText(lang, key, s string) string {
	if voc, ok := codeVocabulary[key]; ok {
		if k := "val_" + voc + "_" + s; messages[k] != (i18n.Text{}) {
			return messages.T(lang, k)
		}
	}
	return s
}

// anyCodeText is a code of any coded column in words (a pivot column's
// value, a chart's category), any other text as it is.
func anyCodeText(lang, s string) string {
	for key := range codeVocabulary {
		if w := codeText(lang, key, s); w != s {
			return w
		}
	}
	return s
}

// pivotLabel is a column's label with a pivot column's values in words
// ("paid · Сумма" → "оплачен · Сумма"; values are joined by " / ").
func pivotLabel(lang string, c reports.Column) string {
	vals, rest, ok := strings.Cut(c.Label, " · ")
	if !strings.Contains(c.Key, "|") || !ok {
		return c.Label
	}
	parts := strings.Split(vals, " / ")
	for i, p := range parts {
		parts[i] = anyCodeText(lang, p)
	}
	return strings.Join(parts, " / ") + " · " + rest
}

// deref unwraps a *float64 cell (nil stays nil).
func deref(v any) any {
	if p, ok := v.(*float64); ok {
		if p == nil {
			return nil
		}
		return *p
	}
	return v
}

// chartIn is the charts' one formatting hook: it writes a chart's
// categories (axis data, slice and step names) as the tables write them
// — dates by the result's grain, `2026-06` as a month, codes in words —
// and marks the option with the language and each series' value type
// for static/format.js, which formats the value axes, the tooltips and
// the labels in the browser.
func chartIn(opt chartOptions, lang string, res *reports.Result) chartOptions {
	if opt == nil || res == nil {
		return opt
	}
	var m map[string]any
	if b, err := json.Marshal(opt); err != nil || json.Unmarshal(b, &m) != nil {
		return opt
	}
	cat := categoryIn(lang, res)
	for _, key := range []string{"xAxis", "yAxis"} {
		for _, axis := range asList(m[key]) {
			if a, ok := axis.(map[string]any); ok {
				renameAll(a["data"], cat)
			}
		}
	}
	labels := map[string]string{} // a pivot column's label → in words
	for _, c := range res.Columns {
		labels[c.Label] = pivotLabel(lang, c)
	}
	var types []string
	for _, s := range asList(m["series"]) {
		sm, _ := s.(map[string]any)
		name, _ := sm["name"].(string)
		types = append(types, seriesType(res, name))
		if l, ok := labels[name]; ok {
			sm["name"] = l
		}
		renameAll(sm["data"], cat)
	}
	for _, l := range asList(m["legend"]) {
		if lm, ok := l.(map[string]any); ok {
			renameAll(lm["data"], func(s string) string {
				if l, ok := labels[s]; ok {
					return l
				}
				return s
			})
		}
	}
	m["voronka"] = map[string]any{"lang": lang, "series": types}
	return m
}

// asList is a JSON value as a list (an object alone is a list of one).
func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// renameAll rewrites the texts of a data list: plain texts and the
// names of {name, value} items.
func renameAll(data any, cat func(string) string) {
	l, _ := data.([]any)
	for i, d := range l {
		switch x := d.(type) {
		case string:
			l[i] = cat(x)
		case map[string]any:
			if n, ok := x["name"].(string); ok {
				x["name"] = cat(n)
			}
		}
	}
}

var (
	isDay   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	isMonth = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

// categoryIn writes a category of res in lang: a day by the grain of
// the result's first date column, a month, a code of a coded column in
// words; any other text as it is.
func categoryIn(lang string, res *reports.Result) func(string) string {
	grain := ""
	for _, c := range res.Columns {
		if c.Type == reports.TypeDate {
			grain = grainOf(c.Key)
			break
		}
	}
	return func(s string) string {
		switch {
		case isDay.MatchString(s):
			if t, err := time.Parse(time.DateOnly, s); err == nil {
				return periodText(lang, grain, t)
			}
		case isMonth.MatchString(s):
			if t, err := time.Parse("2006-01", s); err == nil {
				return i18n.Month(lang, t)
			}
		}
		return anyCodeText(lang, s)
	}
}

// seriesType is the value type of the series named name: its column's,
// else the result's first numeric column's.
func seriesType(res *reports.Result, name string) string {
	first := ""
	for _, c := range res.Columns {
		switch c.Type {
		case reports.TypeMoney, reports.TypeInteger, reports.TypeNumber, reports.TypePercent:
			if c.Label == name {
				return c.Type
			}
			if first == "" {
				first = c.Type
			}
		}
	}
	if first == "" {
		return reports.TypeNumber
	}
	return first
}
