package pages

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// The builder's limits: measure selects and filter rows on one form.
const (
	maxMeasures = 6
	maxFilters  = 10
)

// builderKeys are the builder's single-valued form fields; measureN,
// the filter rows (fN_…) and sort are read apart.
var builderKeys = []string{"dataset", "dim1", "grain1", "dim2", "pivot", "period", "period_field", "from", "to", "chart", "name", "shared"}

// builderSel is the builder's selection as a form carries it: the
// single-valued fields, the measures ("count" or "field:agg"), the filter
// rows and the sort ("key" or "key:desc", kept from a saved definition).
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

// readSel reads a selection; measure and filter rows left empty are
// dropped, so rows are numbered as the definition numbers them.
func readSel(get formArgs) builderSel {
	sel := builderSel{M: map[string]string{}, Sort: get("sort")}
	for _, k := range builderKeys {
		sel.M[k] = first(get(k))
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
// left out: the save form asks for them).
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

// definition turns the selection into a definition; a filter row the
// form cannot express (no value) is an error naming that row.
func (sel builderSel) definition(lang string) (reports.Definition, error) {
	m := sel.M
	def := reports.Definition{Dataset: m["dataset"], Lang: lang, Limit: 1000}
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
	if m["chart"] != "" {
		def.Chart = &reports.Chart{Type: m["chart"]}
	}
	def.Sort = sel.sort(def)
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

// sort keeps the sort entries whose column the definition still has.
func (sel builderSel) sort(def reports.Definition) []reports.Sort {
	var keys []string
	for _, d := range def.Dimensions {
		keys = append(keys, strings.TrimSuffix(d.Field+"_"+d.Grain, "_"))
	}
	for _, m := range def.Measures {
		keys = append(keys, strings.TrimPrefix(m.Field+"_"+m.Agg, "_"))
	}
	var out []reports.Sort
	for _, s := range sel.Sort {
		by, dir, _ := strings.Cut(s, ":")
		if slices.Contains(keys, by) {
			out = append(out, reports.Sort{By: by, Desc: dir == "desc"})
		}
	}
	return out
}
