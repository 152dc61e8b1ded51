package xlsx

import (
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/reports"
)

// maxChartRows: larger results get no chart (it would be unreadable).
const maxChartRows = 1000

// chartSpec is a chart over the first data sheet: categories from one
// column, a series per value column.
type chartSpec struct {
	typ  excelize.ChartType
	cat  int
	vals []int
}

// chartFor picks the chart of a report: a bar per funnel step, columns
// per stage group, bars of plan, fact and forecast per manager, columns
// per month of the team's forecast and of its accuracy (the weighted
// forecast beside what was won), a line per measure over a time
// dimension; none for the rest.
func (w *Writer) chartFor() *chartSpec {
	d := w.rep.Def
	if d == nil || w.rows == 0 || w.rows > maxChartRows || len(w.sheets) != 1 {
		return nil
	}
	switch d.Kind {
	case reports.KindFunnel:
		return w.spec(excelize.Bar, "stage_name", "count")
	case reports.KindStagePercentages:
		return w.spec(excelize.Col, "stage_group", "amount", "weighted_amount")
	case reports.KindPlanFact:
		return w.spec(excelize.Bar, "responsible_name", "plan", "fact", "forecast")
	case reports.KindForecast: // by month only: month × responsible has no one axis
		if w.hasCol("responsible") {
			return nil
		}
		return w.spec(excelize.Col, "month", "won", "weighted", "best_case", "plan")
	case reports.KindForecastAccuracy: // by month only, as the forecast
		if w.hasCol("responsible") {
			return nil
		}
		return w.spec(excelize.Col, "month", "forecast_weighted", "won")
	case reports.KindReceivables: // by one key only: responsible × company has no one axis
		buckets := []string{"not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90"}
		switch {
		case w.hasCol("responsible") && w.hasCol("company"):
			return nil
		case w.hasCol("responsible"):
			return w.spec(excelize.ColStacked, "responsible_name", buckets...)
		}
		return w.spec(excelize.ColStacked, "company_name", buckets...)
	case reports.KindActsPayments:
		return w.spec(excelize.Col, "month", "acts", "received")
	case reports.KindPaymentsPlanFact:
		return w.spec(excelize.Col, "month", "planned", "received")
	case "", reports.KindGrouped:
		if d.Pivot != nil || len(d.Dimensions) == 0 || len(w.cols) == 0 || w.cols[0].Type != reports.TypeDate {
			return nil
		}
		s := &chartSpec{typ: excelize.Line}
		for i := len(d.Dimensions); i < len(w.cols) && len(s.vals) < 4; i++ {
			if slices.Contains([]string{reports.TypeInteger, reports.TypeNumber, reports.TypeMoney}, w.cols[i].Type) {
				s.vals = append(s.vals, i)
			}
		}
		if len(s.vals) > 0 {
			return s
		}
	}
	return nil
}

// hasCol reports whether the report has the column key.
func (w *Writer) hasCol(key string) bool {
	return slices.ContainsFunc(w.cols, func(c reports.Column) bool { return c.Key == key })
}

// spec finds the category and value columns by key.
func (w *Writer) spec(typ excelize.ChartType, cat string, vals ...string) *chartSpec {
	s := &chartSpec{typ: typ, cat: -1}
	for i, c := range w.cols {
		switch {
		case c.Key == cat:
			s.cat = i
		case slices.Contains(vals, c.Key):
			s.vals = append(s.vals, i)
		}
	}
	if s.cat < 0 || len(s.vals) == 0 {
		return nil
	}
	return s
}

// chartSheet adds the report's chart, if it has one, on its own sheet.
func (w *Writer) chartSheet() error {
	s := w.chartFor()
	if s == nil {
		return nil
	}
	name := w.word("chart")
	if _, err := w.f.NewSheet(name); err != nil {
		return err
	}
	src := "'" + w.sheets[0] + "'!"
	col := func(i int) string { c, _ := excelize.ColumnNumberToName(i + 1); return c }
	ref := func(i int) string {
		return fmt.Sprintf("%s$%s$%d:$%s$%d", src, col(i), headRows+1, col(i), headRows+w.rows)
	}
	var series []excelize.ChartSeries
	for _, v := range s.vals {
		series = append(series, excelize.ChartSeries{Name: fmt.Sprintf("%s$%s$%d", src, col(v), headRows),
			Categories: ref(s.cat), Values: ref(v)})
	}
	chart := &excelize.Chart{Type: s.typ, Series: series,
		Title:     []excelize.RichTextRun{{Text: w.rep.Name}},
		Dimension: excelize.ChartDimension{Width: 960, Height: 540},
		Legend:    excelize.ChartLegend{Position: "bottom"},
	}
	if s.typ == excelize.Bar {
		chart.YAxis.ReverseOrder = true // first step on top
	}
	return w.f.AddChart(name, "A1", chart)
}
