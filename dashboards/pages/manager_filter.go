package pages

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// managerOptions lists the active sales managers for the director's
// manager filter; selected is the chosen one's id (0: the whole team;
// unknown ids are ignored).
func (s *handlers) managerOptions(ctx context.Context, raw string) ([]option, int64, error) {
	us, err := s.Store.ListUsers(ctx)
	if err != nil {
		return nil, 0, err
	}
	want, _ := strconv.ParseInt(raw, 10, 64)
	var out []option
	var selected int64
	for _, u := range us {
		if u.Role != domain.RoleManager || !u.Active {
			continue
		}
		out = append(out, option{strconv.FormatInt(u.ID, 10), u.Name})
		if u.ID == want {
			selected = u.ID
		}
	}
	return out, selected, nil
}

// withResponsible restricts a grouped definition to one responsible.
func withResponsible(def reports.Definition, field string, id int64) reports.Definition {
	if id == 0 {
		return def
	}
	def.Filters = append(append([]reports.Filter(nil), def.Filters...),
		reports.Filter{Field: field, Op: "eq", Value: json.RawMessage(strconv.FormatInt(id, 10))})
	return def
}

// managerStagesDef is the stage-percentage panel for one manager: the
// stage_percentages kind takes no filter, so a grouped report over the
// same deals (the pipeline's, created in the period) by stage group.
func managerStagesDef(pl string, id int64) reports.Definition {
	def := reports.Definition{Dataset: "deals",
		Dimensions: []reports.Dimension{{Field: "stage_position"}, {Field: "stage_group"}, {Field: "stage_kind"}},
		Measures: []reports.Measure{{Agg: reports.AggCount}, {Field: "amount", Agg: reports.AggSum},
			{Field: "weighted_amount", Agg: reports.AggSum}},
		Filters: []reports.Filter{{Field: "pipeline", Op: "eq", Value: json.RawMessage(strconv.Quote(pl))}},
		Sort:    []reports.Sort{{By: "stage_position"}}}
	return withResponsible(def, "responsible", id)
}

// onlyResponsible keeps the rows of a per-manager result whose
// "responsible" column is id (all rows when id is 0), and drops the
// team totals.
func onlyResponsible(res *reports.Result, id int64) *reports.Result {
	i := colIndex(res, "responsible")
	if id == 0 || i < 0 {
		return res
	}
	out := *res
	out.Rows, out.Totals = nil, nil
	for _, r := range res.Rows {
		if cellText(r[i]) == strconv.FormatInt(id, 10) {
			out.Rows = append(out.Rows, r)
		}
	}
	out.Meta.RowCount = len(out.Rows)
	return &out
}
