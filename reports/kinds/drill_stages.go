package kinds

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
)

// The drills of the stage percentages and the stage movement: the deals
// behind a number of their answers, from the deal sets and SQL the
// numbers are counted with (stagesDeals, movementStaysSQL).

func (stagesKind) drillable()   {}
func (movementKind) drillable() {}

// stagesDrillColumns are the stage percentages' columns whose number
// opens deals: all of them are over one row's deals — the count, the
// amounts (their sums) and the shares (a share's deals are those of its
// numerator: the row's). The probability is no count.
var stagesDrillColumns = []string{"count", "amount", "weighted_amount", "count_share", "amount_share"}

// Drill lists the deals behind a row (or the total, cell {}) of the
// stage percentages: cell keys are the row's leading columns (by stage
// the stage code, else stage_group and stage_kind) and probability;
// column is one of stagesDrillColumns ("" the count), each over the
// same deals. The deals are those of the row's stages among the deals
// the answer sums (stagesDeals).
func (pl stagesPlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	if _, err := drillColumn(column, "count", stagesColumns(pl.sc.lang, pl.byStage), figureSet(stagesDrillColumns...), nil); err != nil {
		return nil, err
	}
	keys := append(stageLeadKeys(pl.byStage), "probability")
	want := map[string]any{}
	err := eachCellKey(cell, keys, func(k string, raw json.RawMessage) (err error) {
		want[k], err = cellValue(raw, "cell."+k, k == "probability")
		return err
	})
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords("deals", pl.loc, pl.sc.lang, opts)
	if err != nil {
		return nil, err
	}
	return recordsOf(pl.sc, recs, func(_ context.Context, r *run) (olap.Fragment, error) {
		stages, err := pl.cellStages(r.meta, keys, want)
		if err != nil {
			return nil, err
		}
		cond, slots := "0", olap.Slots{"rows": stagesDeals(r).rows()} // a cell no stage fits: no deals
		if len(stages) > 0 {
			cond, slots["stages"] = "has({stages}, stage_id)", stages
		}
		return olap.Template{Text: "SELECT deal_id FROM ({rows}) WHERE " + cond, Slots: slots}, nil
	}), nil
}

// cellStages are the ids of the stages whose row (stageRowOf) the cell
// names: each value must be one a row holds (422 on cell.<key> with the
// values there are).
func (pl stagesPlan) cellStages(m *pipelineMeta, keys []string, want map[string]any) ([]int64, error) {
	values := func(s stageMeta) map[string]any {
		_, lead := stageRowOf(s, pl.byStage)
		v := map[string]any{"probability": int64(s.Probability)}
		for i, k := range stageLeadKeys(pl.byStage) {
			v[k] = lead[i]
		}
		return v
	}
	for _, k := range keys {
		w, ok := want[k]
		if !ok {
			continue
		}
		var allowed []any
		for _, s := range m.Stages {
			if v := values(s)[k]; !slices.Contains(allowed, v) {
				allowed = append(allowed, v)
			}
		}
		if !slices.Contains(allowed, w) {
			return nil, &apperr.Error{Kind: apperr.Invalid, Code: "not_in_report", Field: "cell." + k,
				Message: fmt.Sprintf("no row of the report has %s %v", k, w), Details: map[string]any{"allowed": allowed}}
		}
	}
	ids := []int64{}
	for _, s := range m.Stages {
		v, match := values(s), true
		for k, w := range want {
			match = match && v[k] == w
		}
		if match {
			ids = append(ids, s.ID)
		}
	}
	return ids, nil
}

// movementDrillColumns are the stage movement's counts: the entries and
// each outcome (movementCounts). The hours are no counts.
func movementDrillColumns() []string {
	out := []string{"entries"}
	for _, c := range movementCounts {
		out = append(out, c.col)
	}
	return out
}

// Drill lists the stays behind a count of the stage movement: cell keys
// stage (a step code) and, per manager, responsible (a user id; a key
// left out is all of it, {} the totals row); column the count (required:
// entries or an outcome). Each stay the number counted
// (movementStaysSQL) is listed as the stage change that began it (its
// deal, the stages it left and entered, when): a deal that entered the
// stage twice in the period is two entries and two records.
func (pl movementPlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	if _, err := drillColumn(column, "", movementColumns(pl.sc.lang, pl.perManager), figureSet(movementDrillColumns()...), nil); err != nil {
		return nil, err
	}
	keys := []string{"stage"}
	if pl.perManager {
		keys = append(keys, "responsible")
	}
	var stage, manager *string
	err := eachCellKey(cell, keys, func(k string, raw json.RawMessage) error {
		if k == "responsible" {
			who, err := cellUser(raw, "cell.responsible") // the manager key: toString(responsible_id)
			manager = who
			return err
		}
		v, err := cellValue(raw, "cell."+k, false)
		if err == nil {
			s := v.(string)
			stage = &s
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords("stage_changes", pl.loc, pl.sc.lang, opts)
	if err != nil {
		return nil, err
	}
	return recordsOf(pl.sc, recs, func(_ context.Context, r *run) (olap.Fragment, error) {
		cond, slots := "1", olap.Slots{"stays": r.movementStaysSQL(pl.movementSet(r))}
		if stage != nil {
			var allowed []string
			for _, s := range r.meta.steps() {
				if allowed = append(allowed, s.Code); s.Code == *stage {
					cond, slots["stage"] = cond+" AND stage = {stage}", s.ID
				}
			}
			if _, ok := slots["stage"]; !ok {
				return nil, &apperr.Error{Kind: apperr.Invalid, Code: "not_a_step", Field: "cell.stage",
					Message: fmt.Sprintf("%q is not a step of pipeline %s", *stage, r.meta.Code), Details: map[string]any{"allowed": allowed}}
			}
		}
		if manager != nil {
			cond, slots["key"] = cond+" AND key = {key}", *manager
		}
		for _, c := range movementCounts {
			if c.col == column {
				cond, slots["outcome"] = cond+" AND outcome = {outcome}", uint8(c.outcome)
			}
		}
		return olap.Template{Text: "SELECT change_id FROM ({stays}) WHERE " + cond, Slots: slots}, nil
	}), nil
}

// periodLoc is the zone of a definition's period (the default zone
// without one), what a drill of a kind shows its records' times in.
func periodLoc(def *reports.Definition) (*time.Location, error) {
	p := reports.Period{}
	if def.Period != nil {
		p = *def.Period
	}
	return p.Location("period")
}

// cellValue decodes one value of a cell: a string, or with integer an
// integer (a JSON number, or its digits in a string, as a key column
// holds it); else 422 invalid_value on path.
func cellValue(raw json.RawMessage, path string, integer bool) (any, error) {
	var v any
	if err := json.Unmarshal(raw, &v); err == nil {
		switch x := v.(type) {
		case string:
			if !integer {
				return x, nil
			}
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				return n, nil
			}
		case float64:
			if integer && x == float64(int64(x)) {
				return int64(x), nil
			}
		}
	}
	want := "a string"
	if integer {
		want = "a whole number"
	}
	e := apperr.Field(path, "invalid_value", "give "+want+", as the report's rows hold it")
	e.Details = map[string]any{"want": map[bool]string{true: reports.TypeInteger, false: reports.TypeString}[integer]}
	return nil, e
}
