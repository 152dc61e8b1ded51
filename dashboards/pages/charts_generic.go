package pages

import (
	"github.com/voronka/voronka/reports"
)

// genericChart charts any result by its chart type: the first column
// that is not a number is the category, and up to three measure columns
// (numeric, with a definition, after the first skip columns) are series.
// "table" and results without a category or measure give no chart.
func genericChart(res *reports.Result, typ string, skip int) chartOptions {
	if typ == "" || typ == "table" || res == nil {
		return nil
	}
	cat, ss, first := "", []series{}, ""
	for i, c := range res.Columns {
		numeric := c.Type == reports.TypeInteger || c.Type == reports.TypeMoney || c.Type == "number" || c.Type == reports.TypePercent
		switch {
		case !numeric && cat == "":
			cat = c.Key
		case numeric && i >= skip && c.Definition != "" && len(ss) < 3:
			if first == "" {
				first = c.Type
			}
			axis := 0
			if c.Type != first { // counts beside money: the right axis
				axis = 1
			}
			ss = append(ss, series{Col: c.Key, Axis: axis})
		}
	}
	if cat == "" || len(ss) == 0 {
		return nil
	}
	switch typ {
	case "line":
		return lineChart(res, cat, ss[0].Col)
	case "pie":
		return pieChart(res, cat, ss[0].Col)
	}
	return barChart(res, cat, ss...)
}
