package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports/compile"
)

// A manager's report equals the director's report filtered to the rows
// the manager may see (deals where responsible or observer, and what
// hangs off them), on the seeded data, for several report shapes.
func TestManagerEqualsDirectorFiltered(t *testing.T) {
	s := newSeeded(t)
	director := domain.Principal{UserID: 2, Role: domain.RoleDirector}
	shapes := []struct{ dataset, idField, body string }{
		{"deals", "id", `"dimensions":[{"field":"stage_name"},{"field":"created_at","grain":"month"}],
			"measures":[{"agg":"count"},{"field":"amount","agg":"sum"},{"field":"amount","agg":"median"},{"field":"weighted_amount","agg":"avg"}]`},
		{"deals", "id", `"dimensions":[{"field":"responsible_name"},{"field":"stage_group"}],"measures":[{"field":"amount","agg":"sum"}],
			"pivot":{"columns":["stage_group"]}`},
		{"stage_changes", "deal_id", `"dimensions":[{"field":"to_stage_name"}],"measures":[{"agg":"count"},{"field":"deal_id","agg":"count_distinct"}]`},
		{"invoices", "deal_id", `"dimensions":[{"field":"status"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}]`},
	}
	observedTotal := 0
	for _, mgr := range s.pgRows(t, `SELECT id FROM users WHERE role = 'manager' ORDER BY id LIMIT 3`) {
		var id int64
		fmt.Sscan(mgr, &id)
		visible := s.pgRows(t, `SELECT id FROM deals WHERE responsible_id = $1
			UNION SELECT deal_id FROM deal_observers WHERE user_id = $1 ORDER BY 1`, id)
		observed := s.pgRows(t, `SELECT deal_id FROM deal_observers WHERE user_id = $1`, id)
		if len(visible) < 20 || len(visible) > compile.MaxInValues {
			t.Fatalf("manager %d sees %d deals: the fixture does not fit the test", id, len(visible))
		}
		ids, _ := json.Marshal(visible)
		idList := strings.ReplaceAll(string(ids), `"`, "")
		for _, sh := range shapes {
			mine := s.run(t, domain.Principal{UserID: id, Role: domain.RoleManager}, `{"dataset":"`+sh.dataset+`",`+sh.body+`}`)
			theirs := s.run(t, director, `{"dataset":"`+sh.dataset+`",`+sh.body+`,"filters":[{"field":"`+sh.idField+`","op":"in","value":`+idList+`}]}`)
			if cells(mine) != cells(theirs) {
				t.Errorf("manager %d, %s %s:\nmanager  %s\ndirector %s", id, sh.dataset, sh.body, cells(mine), cells(theirs))
			}
			if len(mine.Rows) == 0 {
				t.Errorf("manager %d, %s: no rows; the comparison proves nothing", id, sh.dataset)
			}
		}
		observedTotal += len(observed)
	}
	if observedTotal == 0 {
		t.Error("none of the managers observes a deal: the observer rule went untested")
	}
}
