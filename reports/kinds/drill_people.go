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

// The drills of the per-user kinds (manager activity, activities
// against outcomes) and of the activity heatmap: the records behind one
// of their numbers, from the very rows and predicates the number counts
// (activityRows with activityCounts, dealRows with dealCounts, moveRows
// with movedPred and forwardMove, heatmapPlan.rows).

func (perUserKind) drillable() {}
func (heatmapKind) drillable() {}

// activityDrills are manager activity's countable columns and the
// figure each counts: an activity count lists the activities, a deal
// count the deals; the won amount and the days to win sum over the won
// deals, the win rate divides the won by the closed deals (it lists the
// closed ones, the won among them).
var activityDrills = map[string]string{
	"calls": "calls", "emails": "emails", "meetings": "meetings", "tasks_done": "tasks_done", "tasks_overdue": "tasks_overdue",
	"deals_created": "created", "deals_moved_forward": "moved", "deals_won": "won", "won_amount": "won",
	"win_rate": "closed", "avg_days_to_win": "won",
}

// outcomeDrills are activities against outcomes' countable columns: the
// activities on deals, the won deals and the forward moves (the stage
// changes). Its ratios count nothing of their own.
var outcomeDrills = map[string]string{
	"calls": "deal_calls", "emails": "deal_emails", "meetings": "deal_meetings", "deals_won": "won", "stages_advanced": "moves",
}

// figureDataset is the dataset whose records a figure counts.
func figureDataset(figure string) string {
	switch {
	case figure == "moves":
		return "stage_changes"
	case figure == "moved" || dealCounts[figure] != "":
		return "deals"
	}
	return "activities"
}

// Drill lists the records behind one user's (cell {"responsible": id})
// or the team's (cell {}) number in column.
func (pl perUserPlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	var who *string
	err := eachCellKey(cell, []string{"responsible"}, func(_ string, raw json.RawMessage) (err error) {
		who, err = cellUser(raw, "cell.responsible")
		return err
	})
	if err != nil {
		return nil, err
	}
	figure, err := drillColumn(column, "", pl.columns(pl.sc.lang), pl.drills, nil)
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords(figureDataset(figure), pl.loc, pl.sc.lang, opts)
	if err != nil {
		return nil, err
	}
	return recordsOf(pl.sc, recs, func(ctx context.Context, r *run) (olap.Fragment, error) {
		stages, err := r.dealStages(ctx)
		if err != nil {
			return nil, err
		}
		return r.figureIDs(figure, who, stages), nil
	}), nil
}

// figureIDs are the ids of the records behind a figure of who (nil:
// everyone's, the team's): a query of the figure's own rows and
// predicate.
func (r *run) figureIDs(figure string, who *string, stages *pipelineMeta) olap.Fragment {
	set := r.managerDeals()
	slots := olap.Slots{}
	whose := ""
	if who != nil {
		whose, slots["who"] = " AND who = {who}", *who
	}
	switch {
	case figure == "moves":
		slots["moved"] = r.moveRows(set, stages)
		return olap.Template{Text: `SELECT id FROM ` + r.db.Table("stage_changes") + ` FINAL
WHERE _deleted = 0 AND deal_id IN (SELECT deal_id FROM ({moved}) WHERE ` + movedPred + whose + `)
  AND ` + forwardMove("changed_at", "ifNull(from_stage_id, 0)", "to_stage_id"), Slots: r.moveSlots(stages, slots)}
	case figure == "moved":
		slots["rows"] = r.moveRows(set, stages)
		return olap.Template{Text: "SELECT deal_id FROM ({rows}) WHERE " + movedPred + whose, Slots: slots}
	case dealCounts[figure] != "":
		slots["rows"] = r.dealRows(set, stages)
		return olap.Template{Text: "SELECT deal_id FROM ({rows}) WHERE (" + dealCounts[figure] + ")" + whose, Slots: slots}
	}
	i := slices.IndexFunc(activityCounts, func(c struct{ key, pred string }) bool { return c.key == figure })
	slots["rows"] = r.activityRows(set)
	return olap.Template{Text: "SELECT id FROM ({rows}) WHERE (" + activityCounts[i].pred + ")" + whose, Slots: slots}
}

// Drill lists the activities behind one cell of the heatmap (cell
// {"owner": id, "created_at_<grain>": "2025-01-31"}), an owner's or a
// bucket's total (one key), or the grand total ({}); column is count
// (or left out).
func (pl heatmapPlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	bucketKey := "created_at_" + pl.grain
	var who, bucket *string
	err := eachCellKey(cell, []string{"owner", bucketKey}, func(k string, raw json.RawMessage) (err error) {
		if k == "owner" {
			who, err = cellUser(raw, "cell.owner")
			return err
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return apperr.Field("cell."+k, "invalid_value", "give the bucket's first day as the answer's rows hold it: 2025-01-31")
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return apperr.Field("cell."+k, "invalid_value", "give the bucket's first day as the answer's rows hold it: 2025-01-31")
		}
		bucket = &s
		return nil
	})
	if err != nil {
		return nil, err
	}
	if column != "" {
		if _, err := drillColumn(column, "count", heatmapColumns(pl.sc.lang, pl.grain), map[string]string{"count": "count"}, nil); err != nil {
			return nil, err
		}
	}
	loc, err := time.LoadLocation(pl.tz)
	if err != nil {
		return nil, err
	}
	recs, err := compile.NewRecords("activities", loc, pl.sc.lang, opts)
	if err != nil {
		return nil, err
	}
	return recordsOf(pl.sc, recs, func(_ context.Context, r *run) (olap.Fragment, error) {
		text, slots := "SELECT id FROM ({rows}) WHERE 1 = 1", olap.Slots{"rows": pl.rows(r)}
		if who != nil {
			text, slots["who"] = text+" AND who = {who}", *who
		}
		if bucket != nil {
			text, slots["bucket"] = text+" AND bucket = {bucket}", *bucket
		}
		return olap.Template{Text: text, Slots: slots}, nil
	}), nil
}

// cellUser is a user id as the answer's rows hold it (a number, or its
// digits as text), as the text the figures key users by.
func cellUser(raw json.RawMessage, field string) (*string, error) {
	var n int64
	var s string
	switch {
	case json.Unmarshal(raw, &n) == nil && n > 0:
		s = strconv.FormatInt(n, 10)
	case json.Unmarshal(raw, &s) == nil:
		if v, err := strconv.ParseInt(s, 10, 64); err == nil && v > 0 && strconv.FormatInt(v, 10) == s {
			break
		}
		fallthrough
	default:
		return nil, apperr.Field(field, "invalid_value", "give a user id (a positive whole number) as the answer's rows hold it")
	}
	return &s, nil
}

// CountableColumns are the columns of a manager activity, activities
// against outcomes or heatmap answer whose numbers open records (the
// drill's column), in the answer's order and lang; none for other kinds.
func CountableColumns(kind, lang string) []reports.Column {
	k, _ := lookupKind(kind)
	var cols []reports.Column
	drills := map[string]string{"count": "count"}
	switch k := k.(type) {
	case perUserKind:
		cols, drills = k.columns(lang), k.drills
	case heatmapKind:
		cols = heatmapColumns(lang, "day")
	}
	var out []reports.Column
	for _, c := range cols {
		if _, ok := drills[c.Key]; ok {
			out = append(out, c)
		}
	}
	return out
}
