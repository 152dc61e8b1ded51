package pages

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// The builder's limits: measure selects and filter rows on one form.
const (
	maxMeasures = 6
	maxFilters  = 10
)

// builderKeys are the builder's single-valued form fields (compare: a
// grouped report's comparison with the period before); measureN,
// the filter rows (fN_…) and sort are read apart. kind picks the report
// kind; pipeline, mode, as_of, breakdown, window_days, by_stage and
// per_manager are the other kinds' parameters (builder_kinds.go).
var builderKeys = []string{"kind", "dataset", "dim1", "grain1", "dim2", "pivot", "period", "period_field", "from", "to",
	"chart", "limit", "compare", "pipeline", "mode", "as_of", "breakdown", "window_days", "by_stage", "per_manager", "name", "shared"}

// builderSel is the builder's selection as a form carries it: the
// single-valued fields, the measures ("count" or "field:agg"), the filter
// rows and the sort ("key" or "key:desc").
type builderSel struct {
	M        map[string]string
	Measures []string
	Filters  []filterRow
	Sort     []string
}

// formArgs reads every value of a form field.
type formArgs func(key string) []string

// queryArgs reads the request's query string.
func queryArgs(c *fiber.Ctx) formArgs { return peekAll(c.Request().URI().QueryArgs()) }

// postArgs reads an urlencoded form body.
func postArgs(c *fiber.Ctx) formArgs { return peekAll(c.Request().PostArgs()) }

func peekAll(args *fasthttp.Args) formArgs {
	return func(key string) []string {
		var out []string
		for _, v := range args.PeekMulti(key) {
			out = append(out, string(v))
		}
		return out
	}
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// readSel reads a selection; measure, sort and filter rows left empty
// are dropped, so rows are numbered as the definition numbers them.
func readSel(get formArgs) builderSel {
	sel := builderSel{M: map[string]string{}}
	for _, k := range builderKeys {
		sel.M[k] = first(get(k))
	}
	for _, s := range get("sort") {
		if s != "" {
			sel.Sort = append(sel.Sort, s)
		}
	}
	for i := 1; i <= maxMeasures; i++ {
		if m := first(get("measure" + strconv.Itoa(i))); m != "" {
			sel.Measures = append(sel.Measures, m)
		}
	}
	for i := 0; i < maxFilters; i++ {
		p := "f" + strconv.Itoa(i) + "_"
		if f := first(get(p + "field")); f != "" {
			sel.Filters = append(sel.Filters, filterRow{Field: f, Op: first(get(p + "op")),
				V: first(get(p + "v")), V2: first(get(p + "v2")), Vs: get(p + "vs")})
		}
	}
	if sel.M["chart"] == "" {
		sel.M["chart"] = "bar"
	}
	return sel
}

// values encodes the selection as readSel reads it (name and shared
// left out: they are the save's, not the report's).
func (sel builderSel) values() url.Values {
	v := url.Values{}
	for _, k := range builderKeys {
		if x := sel.M[k]; x != "" && k != "name" && k != "shared" {
			v.Set(k, x)
		}
	}
	for i, m := range sel.Measures {
		v.Set("measure"+strconv.Itoa(i+1), m)
	}
	for i, f := range sel.Filters {
		f.encode(v, "f"+strconv.Itoa(i)+"_")
	}
	v["sort"] = sel.Sort
	return v
}

// kind is the selected report kind (grouped when none is).
func (sel builderSel) kind() string {
	if k := sel.M["kind"]; k != "" {
		return k
	}
	return reports.KindGrouped
}

// chosen reports whether there is anything to preview: a grouping or a
// measure of a grouped report, or another kind.
func (sel builderSel) chosen() bool {
	return sel.kind() != reports.KindGrouped || sel.M["dim1"] != "" || sel.M["dim2"] != "" || len(sel.Measures) > 0
}

// definition turns the selection into a definition; a form value the
// definition cannot take (a filter row without its value, a limit that
// is no count) is an error naming its field.
func (sel builderSel) definition(lang string) (reports.Definition, error) {
	if sel.kind() != reports.KindGrouped {
		return sel.kindDefinition(lang)
	}
	m := sel.M
	def := reports.Definition{Dataset: m["dataset"], Lang: lang}
	if m["dim1"] != "" {
		def.Dimensions = append(def.Dimensions, reports.Dimension{Field: m["dim1"], Grain: m["grain1"]})
	}
	if m["dim2"] != "" {
		def.Dimensions = append(def.Dimensions, reports.Dimension{Field: m["dim2"]})
		if m["pivot"] == "on" {
			def.Pivot = &reports.Pivot{Columns: []string{m["dim2"]}}
		}
	}
	for _, ms := range sel.Measures {
		field, agg, ok := strings.Cut(ms, ":")
		if !ok {
			agg, field = field, ""
		}
		def.Measures = append(def.Measures, reports.Measure{Field: field, Agg: agg})
	}
	def.Period = sel.period()
	if def.Pivot == nil { // a pivot cannot compare: the form disables the choice
		def.Compare = m["compare"]
	}
	if m["chart"] != "" {
		def.Chart = &reports.Chart{Type: m["chart"]}
	}
	def.Sort = sel.sort(def)
	var err error
	if def.Limit, err = count(m["limit"], "limit"); err != nil {
		return def, err
	}
	ds, _ := dataset.ByKey(def.Dataset)
	for i, row := range sel.Filters {
		f, err := row.filter(ds, i)
		if err != nil {
			return def, err
		}
		def.Filters = append(def.Filters, f)
	}
	return def, nil
}

// count reads a whole positive number typed in a form (spaces allowed);
// empty is 0, anything else an error on field.
func count(s, field string) (int, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, apperr.Field(field, codeNotACount, "want a whole number above 0")
	}
	return n, nil
}

// period is a preset or a from–to range, on the chosen date field.
func (sel builderSel) period() *reports.Period {
	m := sel.M
	p := reports.Period{Field: m["period_field"], Preset: m["period"]}
	if p.Preset == "" {
		p.From, p.To = m["from"], m["to"]
	}
	if p.Preset == "" && p.From == "" && p.To == "" {
		return nil
	}
	return &p
}

// sortKeys are the result columns a grouped report may sort by: its
// row dimensions and its measures.
func sortKeys(def reports.Definition) []string {
	var keys []string
	for _, d := range def.Dimensions {
		if def.Pivot == nil || !slices.Contains(def.Pivot.Columns, d.Field) {
			keys = append(keys, strings.TrimSuffix(d.Field+"_"+d.Grain, "_"))
		}
	}
	for _, m := range def.Measures {
		keys = append(keys, strings.TrimPrefix(m.Field+"_"+m.Agg, "_"))
	}
	return keys
}

// sort keeps the sort entries whose column the definition still has.
func (sel builderSel) sort(def reports.Definition) []reports.Sort {
	keys := sortKeys(def)
	var out []reports.Sort
	for _, s := range sel.Sort {
		by, dir, _ := strings.Cut(s, ":")
		if slices.Contains(keys, by) {
			out = append(out, reports.Sort{By: by, Desc: dir == "desc"})
		}
	}
	return out
}
