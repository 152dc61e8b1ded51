package dataset

import (
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// Lookup is a table a dataset may join to its rows (olap.Lookup: by key,
// current state, adding the columns Select names), under a name its
// fields refer to. Needs lists lookups applied first.
type Lookup struct {
	Name  string
	Needs []string
	olap.Lookup
}

// userLookup names the user in column key: adds <prefix>_name.
func userLookup(name, key, prefix string) Lookup {
	return Lookup{Name: name, Lookup: olap.Lookup{Table: "users", Using: key,
		Select: "id AS " + key + ", name AS " + prefix + "_name"}}
}

// stageLookup describes the stage in column key: adds <prefix>_code,
// _name, _kind, _group, _probability and _position, current values.
func stageLookup(name, key, prefix string) Lookup {
	return Lookup{Name: name, Lookup: olap.Lookup{Table: "stages", Using: key,
		Select: "id AS " + key + ", code AS " + prefix + "_code, name AS " + prefix + "_name, kind AS " + prefix +
			"_kind, stage_group AS " + prefix + "_group, probability AS " + prefix + "_probability, position AS " +
			prefix + "_position"}}
}

// pipelineLookup adds pipeline_code and pipeline_name.
func pipelineLookup() Lookup {
	return Lookup{Name: "pipeline", Lookup: olap.Lookup{Table: "pipelines", Using: "pipeline_id",
		Select: "id AS pipeline_id, code AS pipeline_code, name AS pipeline_name"}}
}

// companyLookup adds company_name.
func companyLookup() Lookup {
	return Lookup{Name: "company", Lookup: olap.Lookup{Table: "companies", Using: "company_id",
		Select: "id AS company_id, name AS company_name"}}
}

// sourceLookup adds source_name.
func sourceLookup() Lookup {
	return Lookup{Name: "source", Lookup: olap.Lookup{Table: "sources", Using: "source",
		Select: "code AS source, name AS source_name"}}
}

// rateLookups convert amountCol, in the currency of currencyCol, to
// roubles at the rate valid on the Moscow date of dateExpr (the latest
// rate with valid_from on or before it), rounded half up to the cent,
// as column out (NULL when the currency has no rate by then). The first
// finds that valid_from among the currency's dates (ClickHouse 18.16 has
// no ASOF JOIN), the second joins its rate. Needs: lookups that bring
// the columns in (e.g. the invoice of a payment).
//
// The lambda captures no column: ClickHouse 18.16 drops columns that a
// lambda captures from the subquery below ("Unknown identifier") unless
// the outer query reads them too, so the date rides in as an array.
func rateLookups(prefix, currencyCol, dateExpr, amountCol, out string, needs ...string) []Lookup {
	day := "toDate(" + dateExpr + ", '" + reports.DefaultTZ + "')"
	days := Lookup{Name: prefix + "_days", Needs: needs, Lookup: olap.Lookup{Table: "currency_rates", Using: currencyCol,
		Select:  "code AS " + currencyCol + ", groupArray(valid_from) AS " + prefix + "_days",
		GroupBy: "code",
		Extra: "arrayReduce('max', arrayFilter((x, y) -> x <= y, " + prefix + "_days, arrayResize([" + day + "], length(" +
			prefix + "_days), " + day + "))) AS " + prefix + "_day"}}
	rate := Lookup{Name: prefix, Needs: []string{days.Name}, Lookup: olap.Lookup{Table: "currency_rates", Using: currencyCol + ", " + prefix + "_day",
		Select: "code AS " + currencyCol + ", valid_from AS " + prefix + "_day, rate AS " + prefix + "_rate",
		Extra: "if(" + prefix + "_rate = 0, NULL, toDecimal128(toDecimal128(" + amountCol + ", 2) * " + prefix +
			"_rate + toDecimal128('0.005', 3), 2)) AS " + out}}
	return []Lookup{days, rate}
}

// FindLookup finds a dataset's lookup by name.
func (d *Dataset) FindLookup(name string) (Lookup, bool) {
	for _, l := range d.Lookups {
		if l.Name == name {
			return l, true
		}
	}
	return Lookup{}, false
}

// lookupOrder lists the lookups the given ones need, dependencies first,
// in the dataset's declaration order.
func (d *Dataset) LookupOrder(names []string) []Lookup {
	want := map[string]bool{}
	var visit func(n string)
	visit = func(n string) {
		if want[n] {
			return
		}
		want[n] = true
		if l, ok := d.FindLookup(n); ok {
			for _, dep := range l.Needs {
				visit(dep)
			}
		}
	}
	for _, n := range names {
		visit(n)
	}
	var out []Lookup
	for _, l := range d.Lookups {
		if want[l.Name] {
			out = append(out, l)
		}
	}
	return out
}

// Joins are the joins of lookups, in order (olap.JoinLookups).
func Joins(lookups []Lookup) []olap.Lookup {
	out := make([]olap.Lookup, len(lookups))
	for i, l := range lookups {
		out[i] = l.Lookup
	}
	return out
}
