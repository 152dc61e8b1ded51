package reports

import "strings"

// outCol is a result column and how its raw values are read.
type outCol struct {
	Column
	shift int32 // decimal places to shift a float money value by (kopecks)
}

// columns are the result columns of the plan: dimensions, then measures.
func (p *plan) columns() []outCol {
	var out []outCol
	for _, d := range p.dims {
		out = append(out, p.dimColumn(d))
	}
	for _, m := range p.measures {
		out = append(out, p.measureColumn(m))
	}
	return out
}

func (p *plan) dimColumn(d dimPlan) outCol {
	c := Column{Key: d.key, LabelRU: d.field.LabelRU, LabelEN: d.field.LabelEN, Type: d.field.Type,
		Definition: d.field.Description(p.lang)}
	if d.grain != "" {
		g := grainLabels[d.grain]
		c.LabelRU += " (" + g[0] + ")"
		c.LabelEN += " (" + g[1] + ")"
		c.Type = TypeDate
	}
	c.Label = pick([2]string{c.LabelRU, c.LabelEN}, p.lang)
	return outCol{Column: c}
}

func (p *plan) measureColumn(m measurePlan) outCol {
	c := Column{Key: m.key, Type: measureType(m)}
	if m.field.Key == "" {
		c.LabelRU, c.LabelEN = countLabel[0], countLabel[1]
	} else {
		a := aggLabels[m.agg]
		c.LabelRU = m.field.LabelRU + ": " + a[0]
		c.LabelEN = m.field.LabelEN + ": " + a[1]
	}
	c.Label = pick([2]string{c.LabelRU, c.LabelEN}, p.lang)
	c.Definition = p.measureDefinition(m)
	oc := outCol{Column: c}
	if m.agg == AggMedian && m.field.Type == TypeMoney {
		oc.shift = -2
	}
	return oc
}

// measureType is the type of a measure's values.
func measureType(m measurePlan) string {
	switch {
	case m.agg == AggCount || m.agg == AggCountDistinct:
		return TypeInteger
	case m.agg == AggAvg || m.agg == AggMedian:
		if m.field.Type == TypeMoney {
			return TypeMoney
		}
		return TypeNumber
	}
	return m.field.Type
}

// measureDefinition says what a measure counts over which rows and
// which date decides: shown on hover.
func (p *plan) measureDefinition(m measurePlan) string {
	var parts []string
	if m.field.Key == "" {
		parts = append(parts, pick([2]string{"Число записей набора «" + p.ds.LabelRU + "».",
			"The number of " + strings.ToLower(p.ds.LabelEN) + "."}, p.lang))
	} else {
		parts = append(parts, pick(aggDefs[m.agg], p.lang), m.field.Description(p.lang))
	}
	if p.rng != nil {
		parts = append(parts, pick([2]string{"Период — по полю «" + p.period.LabelRU + "».",
			"The period applies to " + strings.ToLower(p.period.LabelEN) + "."}, p.lang))
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// plainColumns drops the reading details.
func plainColumns(cols []outCol) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		out[i] = c.Column
	}
	return out
}
