package compile

import (
	"strings"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// outCol is a result column and how its raw values are read.
type OutCol struct {
	reports.Column
	Shift int32 // decimal places to shift a float money value by (kopecks)
}

// columns are the result columns of the plan: dimensions, then measures.
func (p *Plan) columns() []OutCol {
	var out []OutCol
	for _, d := range p.dims {
		out = append(out, p.dimColumn(d))
	}
	for _, m := range p.measures {
		out = append(out, p.measureColumn(m))
	}
	return out
}

func (p *Plan) dimColumn(d dimPlan) OutCol {
	c := reports.Column{Key: d.key, LabelRU: d.field.LabelRU, LabelEN: d.field.LabelEN, Type: d.field.Type,
		Definition: d.field.Description(p.lang)}
	if d.grain != "" {
		g := grainLabels[d.grain]
		c.LabelRU += " (" + g.RU + ")"
		c.LabelEN += " (" + g.EN + ")"
		c.Type = reports.TypeDate
	}
	c.Label = labelIn(c, p.lang)
	return OutCol{Column: c}
}

func (p *Plan) measureColumn(m measurePlan) OutCol {
	c := reports.Column{Key: m.key, Type: measureType(m)}
	if m.field.Key == "" {
		c.LabelRU, c.LabelEN = countLabel.RU, countLabel.EN
	} else if l, ok := m.field.AggLabel(m.agg); ok {
		c.LabelRU, c.LabelEN = l.RU, l.EN
	} else {
		a := aggLabels[m.agg]
		c.LabelRU = m.field.LabelRU + ": " + a.RU
		c.LabelEN = m.field.LabelEN + ": " + a.EN
	}
	c.Label = labelIn(c, p.lang)
	c.Definition = p.measureDefinition(m)
	oc := OutCol{Column: c}
	if m.agg == reports.AggMedian && m.field.Type == reports.TypeMoney {
		oc.Shift = -2
	}
	return oc
}

// measureType is the type of a measure's values.
func measureType(m measurePlan) string {
	switch {
	case m.agg == reports.AggCount || m.agg == reports.AggCountDistinct:
		return reports.TypeInteger
	case m.agg == reports.AggAvg && m.field.Flag: // the share of rows with the flag
		return reports.TypePercent
	case m.agg == reports.AggAvg || m.agg == reports.AggMedian:
		if m.field.Type == reports.TypeMoney {
			return reports.TypeMoney
		}
		return reports.TypeNumber
	}
	return m.field.Type
}

// measureDefinition says what a measure counts over which rows and
// which date decides: shown on hover.
func (p *Plan) measureDefinition(m measurePlan) string {
	var parts []string
	if m.field.Key == "" {
		parts = append(parts, i18n.T("Число записей набора «"+p.ds.LabelRU+"».",
			"The number of "+strings.ToLower(p.ds.LabelEN)+".").In(p.lang))
	} else {
		parts = append(parts, aggDefs[m.agg].In(p.lang), m.field.Description(p.lang))
	}
	if p.rng != nil {
		parts = append(parts, i18n.T("Период — по полю «"+p.period.LabelRU+"».",
			"The period applies to "+strings.ToLower(p.period.LabelEN)+".").In(p.lang))
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// plainColumns drops the reading details.
func plainColumns(cols []OutCol) []reports.Column {
	out := make([]reports.Column, len(cols))
	for i, c := range cols {
		out[i] = c.Column
	}
	return out
}
