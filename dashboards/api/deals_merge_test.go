package api_test

import (
	"fmt"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestDealMergeAPI: who may merge deals (director, admin; a deal the
// caller cannot read is 404, a reader who may not merge gets 403), bad
// input on its field with nothing written, the merge itself and its
// history; entity "deal" on /duplicates/merge is the same merge.
func TestDealMergeAPI(t *testing.T) {
	ts := dashtest.New(t)
	keep, gone := apiDeal(ts, "manager", "Поставка станков"), apiDeal(ts, "manager", "Поставка станков (дубль)")
	other := apiDeal(ts, "manager2", "Чужая сделка")
	var interest struct{ ID int64 }
	ts.DoJSON("POST", "/api/v1/deals", "manager", map[string]any{"title": "Интерес", "pipeline": "interest", "amount": 1}, &interest)
	ts.DoJSON("POST", "/api/v1/activities", "manager", map[string]any{"type": "call", "subject": "Позвонить по дублю", "owner_id": ts.Users["manager"].ID, "deal_id": gone.ID}, nil)
	body := func(k, m any) string { return fmt.Sprintf(`{"keep_id":%v,"merge_id":%v}`, k, m) }
	pair := body(keep.ID, gone.ID)
	const u = "/api/v1/deals/merge"
	runUnchanged(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: u, Body: pair, Status: 401},
		{Name: "manager who sees both", Method: "POST", URL: u, As: "manager", Body: pair, Status: 403, Contains: []string{"merge_forbidden"}},
		{Name: "manager who sees neither", Method: "POST", URL: u, As: "manager2", Body: pair, Status: 404, Field: "keep_id"},
		{Name: "manager who sees one", Method: "POST", URL: u, As: "manager2", Body: body(other.ID, gone.ID), Status: 404, Field: "merge_id"},
		{Name: "analyst", Method: "POST", URL: u, As: "analyst", Body: pair, Status: 403},
		{Name: "same deal twice", Method: "POST", URL: u, As: "director", Body: body(keep.ID, keep.ID), Status: 422, Field: "merge_id", Contains: []string{"same_record"}},
		{Name: "unknown deal", Method: "POST", URL: u, As: "director", Body: body(keep.ID, 987654), Status: 404, Field: "merge_id"},
		{Name: "text id", Method: "POST", URL: u, As: "director", Body: body(`"abc"`, gone.ID), Status: 422, Field: "keep_id", Contains: []string{"invalid_type"}},
		{Name: "fractional id", Method: "POST", URL: u, As: "director", Body: body(keep.ID, 1.5), Status: 422, Field: "merge_id"},
		{Name: "missing id", Method: "POST", URL: u, As: "director", Body: `{"merge_id":` + dashtest.Itoa(gone.ID) + `}`, Status: 422, Field: "keep_id"},
		{Name: "entity is not a field here", Method: "POST", URL: u, As: "director", Body: `{"entity":"deal","keep_id":1,"merge_id":2}`, Status: 422, Field: "entity"},
		{Name: "another pipeline", Method: "POST", URL: u, As: "director", Body: body(keep.ID, interest.ID), Status: 422, Field: "merge_id", Contains: []string{"other_pipeline"}},
	}, "deals", "merges", "activities", "stage_changes", "deal_observers")
	deals, changes := ts.RowCount("deals"), ts.RowCount("stage_changes")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "director merges", Method: "POST", URL: u, As: "director", Body: pair, Status: 200,
			Contains: []string{`"entity":"deal"`, `"kept_id":` + dashtest.Itoa(keep.ID), `"activities":1`, `"stage_changes":1`}},
		{Name: "the merged deal is gone", Method: "GET", URL: "/api/v1/deals/" + dashtest.Itoa(gone.ID), As: "director", Status: 404},
		{Name: "again: gone", Method: "POST", URL: u, As: "director", Body: pair, Status: 404, Field: "merge_id"},
		{Name: "history", Method: "GET", URL: "/api/v1/merges?entity=deal&id=" + dashtest.Itoa(keep.ID), As: "director", Status: 200,
			Contains: []string{`"merged_id":` + dashtest.Itoa(gone.ID), "Поставка станков (дубль)", `"stage_changes":[{`}},
		{Name: "a manager's history has no merged row", Method: "GET", URL: "/api/v1/merges?entity=deal&id=" + dashtest.Itoa(keep.ID), As: "manager", Status: 200,
			Contains: []string{`"merged_id":` + dashtest.Itoa(gone.ID), `"removed":{"forecast_changes":0,"stage_changes":1}`}, NotContains: []string{"дубль", "merged_row", "history"}},
		{Name: "history hidden from manager2", Method: "GET", URL: "/api/v1/merges?entity=deal&id=" + dashtest.Itoa(keep.ID), As: "manager2", Status: 404},
		{Name: "the activity is on the kept deal", Method: "GET", URL: "/api/v1/activities?deal_id=" + dashtest.Itoa(keep.ID), As: "manager", Status: 200,
			Contains: []string{"Позвонить по дублю"}},
	})
	if ts.RowCount("deals") != deals-1 || ts.RowCount("stage_changes") != changes-1 {
		t.Errorf("after the merge: %d deals (want %d), %d stage changes (want %d)", ts.RowCount("deals"), deals-1, ts.RowCount("stage_changes"), changes-1)
	}
	third := apiDeal(ts, "manager", "Третья")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "admin through /duplicates/merge", Method: "POST", URL: "/api/v1/duplicates/merge", As: "admin", Status: 200,
			Body: `{"entity":"deal","keep_id":` + dashtest.Itoa(keep.ID) + `,"merge_id":` + dashtest.Itoa(third.ID) + `}`, Contains: []string{`"entity":"deal"`}},
	})
}
