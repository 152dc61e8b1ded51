package kinds

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
)

// The plan reports open the records behind their numbers (issue 18):
// plan-fact's fact (the deals or activities it counted or summed, for a
// responsible or the team), the forecast's won, best case, weighted and
// category figures (the deals won in a month or expected in it) and the
// forecast accuracy's figures (the deals named by the forecast as it
// stood before the month, those won in it). Each lists the rows the
// number's own query sums (factRows, dealRows, accuracyRows) under the
// conditions its figure sums by (forecastFigures, accuracyFigures). A
// plan is a target, not records: 422 plan_not_records; a ratio or a
// count of days neither, 422 not_countable.

func (planFactKind) drillable() {}
func (forecastKind) drillable() {}

// planCell is a drill's cell of a plan report: the responsible (nil: all
// of them) and the month (its first day, "" all of them).
type planCell struct {
	who   *int64
	month string
}

// readPlanCell reads cell against the row keys a plan report's answer
// has (responsible, month): an id as a whole number, a month as the
// rows hold it (2026-03-01), one of months. Errors are 422s on
// cell.<key>.
func readPlanCell(cell map[string]json.RawMessage, keys []string, months []planMonth) (planCell, error) {
	var out planCell
	err := eachCellKey(cell, keys, func(k string, raw json.RawMessage) error {
		field := "cell." + k
		switch k {
		case "responsible":
			id, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				return apperr.Field(field, "invalid_value", "give the user's id, a whole number, as the report's rows hold it")
			}
			out.who = &id
		case "month":
			var day string
			var allowed []string
			for _, m := range months {
				allowed = append(allowed, m.day)
			}
			if json.Unmarshal(raw, &day) != nil || !slices.Contains(allowed, day) {
				return &apperr.Error{Kind: apperr.Invalid, Code: "invalid_value", Field: field,
					Message: "give a month of the report as its rows hold it (2026-03-01)", Details: map[string]any{"allowed": allowed}}
			}
			out.month = day
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	return out, nil
}

// cond is the cell's condition on a plan report's rows (who, month).
func (c planCell) cond() (string, olap.Slots) {
	text, slots := "", olap.Slots{}
	if c.who != nil {
		text, slots["who"] = " AND who = {who}", strconv.FormatInt(*c.who, 10)
	}
	if c.month != "" {
		text += " AND month = {month}"
		slots["month"] = c.month
	}
	return text, slots
}

// planDrill runs a plan report's drill: rows (the number's own rows,
// a record id a row) where the figure's condition and the cell's hold,
// listed as recs under the run's principal, the period from..to.
func planDrill(ctx context.Context, db *olap.DB, sc *scope, recs *compile.Records, from, to time.Time,
	rows func(context.Context, *run) (olap.Fragment, error), figure string, c planCell) (*DrillResult, error) {
	start := time.Now()
	r, err := sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	src, err := rows(ctx, r)
	if err != nil {
		return nil, err
	}
	text, slots := c.cond()
	slots["rows"] = src
	cond := olap.Template{Text: "id IN (SELECT id FROM ({rows}) AS drill_rows WHERE (" + figure + ")" + text + ")", Slots: slots}
	q, err := recs.Compile(db.Names, r.p, cond)
	if err != nil {
		return nil, err
	}
	res, err := runDrill(ctx, db, q, start, r.now)
	if err != nil {
		return nil, err
	}
	res.Meta.From, res.Meta.To = from, to
	return res, nil
}

// Drill opens the fact of a plan-fact row (cell {responsible}) or the
// team's ({}): column fact (the default).
func (pl planFactPlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	if _, err := drillColumn(column, "fact", pl.columns(""), figureSet("fact"), []string{"plan"}); err != nil {
		return nil, err
	}
	c, err := readPlanCell(cell, []string{"responsible"}, nil)
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords(pl.factDataset(), pl.month.loc, pl.sc.lang, opts)
	if err != nil {
		return nil, err
	}
	rows := func(_ context.Context, r *run) (olap.Fragment, error) { return pl.factRows(r), nil }
	return func(ctx context.Context, db *olap.DB) (*DrillResult, error) {
		return planDrill(ctx, db, pl.sc, recs, pl.month.start, pl.factTo(), rows, "1", c)
	}, nil
}

// rowKeys are the row keys of a forecast's answer: by month
// (the team's) or by month and responsible.
func (pl forecastPlan) rowKeys() []string {
	if pl.byMonth {
		return []string{"month"}
	}
	return []string{"month", "responsible"}
}

// Drill opens a forecast's figure (column won, best_case, weighted or
// cat_<category>) of a cell {month, responsible}, a month's or
// responsible's total, or the grand total ({}).
func (pl forecastPlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	return pl.drillFigure(cell, column, opts, forecastColumns(""), forecastFigures, []string{"plan"}, pl.dealRows)
}

// Drill opens a forecast accuracy's figure (column forecast_best_case,
// forecast_weighted, forecast_commit, won or won_forecast) of a cell
// {month, responsible}, a month's or responsible's total, or the grand
// total ({}).
func (pl accuracyPlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	return pl.drillFigure(cell, column, opts, accuracyColumns(""), accuracyFigures, nil, pl.accuracyRows)
}

// drillFigure opens a monthly figure of the forecasts: column one of
// figures (of the answer's cols; its condition on rows), never a plan;
// the deals of rows in the cell where the figure's condition holds.
func (pl forecastPlan) drillFigure(cell map[string]json.RawMessage, column string, opts compile.DrillOptions, cols []reports.Column,
	figures map[string]string, plans []string, rows func(context.Context, *run) (olap.Template, error)) (DrillRun, error) {
	cond, err := drillColumn(column, "", cols, figures, plans)
	if err != nil {
		return nil, err
	}
	c, err := readPlanCell(cell, pl.rowKeys(), pl.months)
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords("deals", pl.months[0].loc, pl.sc.lang, opts)
	if err != nil {
		return nil, err
	}
	fragment := func(ctx context.Context, r *run) (olap.Fragment, error) { return rows(ctx, r) }
	return func(ctx context.Context, db *olap.DB) (*DrillResult, error) {
		return planDrill(ctx, db, pl.sc, recs, pl.months[0].start, pl.months[len(pl.months)-1].end, fragment, cond, c)
	}, nil
}
