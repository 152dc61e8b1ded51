package pages

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// managerOptions lists the active sales managers for a manager filter
// (and the one asked for, even when inactive: their deals remain);
// selected is the chosen one's id (0: the whole team) and found whether
// raw is "" or a manager's id.
func (s *handlers) managerOptions(ctx context.Context, raw string) ([]option, int64, bool, error) {
	us, err := s.Store.ListUsers(ctx)
	if err != nil {
		return nil, 0, false, err
	}
	var out []option
	var selected int64
	for _, u := range us {
		id := strconv.FormatInt(u.ID, 10)
		if u.Role != domain.RoleManager || !u.Active && id != raw {
			continue
		}
		out = append(out, option{id, u.Name})
		if id == raw {
			selected = u.ID
		}
	}
	return out, selected, raw == "" || selected != 0, nil
}

// personalView is whom the personal dashboard runs its reports as: the
// user with a manager's access (deals where they are responsible or an
// observer, and what belongs to those), whatever their role. It only
// ever narrows what the user sees.
func personalView(p domain.Principal) domain.Principal {
	p.Role = domain.RoleManager
	return p
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
