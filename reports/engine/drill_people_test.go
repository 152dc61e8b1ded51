package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
)

// kxPeopleFixture is kxSecondPipeline plus four calls and e-mails on no
// deal at the edges of January in Moscow (UTC+3), done and created at
// once: A13 (M1) at 23:59:59 on 31 January and A15 (M2) at 00:00:00 on
// 1 January are January's; A14 (M1) at 00:00:00 on 1 February and A16
// (M2) at 23:59:59 on 31 December are not.
const kxPeopleFixture = kxSecondPipeline + `
INSERT INTO activities (type, subject, owner_id, deal_id, done_at, created_at) VALUES
    ('call',  'A13', 101, NULL, '2025-01-31 20:59:59Z', '2025-01-31 20:59:59Z'),
    ('call',  'A14', 101, NULL, '2025-01-31 21:00:00Z', '2025-01-31 21:00:00Z'),
    ('email', 'A15', 102, NULL, '2024-12-31 21:00:00Z', '2024-12-31 21:00:00Z'),
    ('email', 'A16', 102, NULL, '2024-12-31 20:59:59Z', '2024-12-31 20:59:59Z');
`

// peopleDrill drills a kind's cell (JSON) and column as p.
func peopleDrill(eng *Engine, p domain.Principal, kind, params, cell, column string) (*kinds.DrillResult, error) {
	jan := kxJanuary
	var c map[string]json.RawMessage
	if err := json.Unmarshal([]byte(cell), &c); err != nil {
		return nil, err
	}
	def := &reports.Definition{Kind: kind, Period: &jan, Params: json.RawMessage(params)}
	return eng.Drill(context.Background(), p, kinds.DrillRequest{Definition: def, Cell: c, Column: column})
}

// pgIDs are the ids of a table's rows whose label (a SQL expression)
// is one of labels, sorted: the fixture's names for its records.
func pgIDs(t *testing.T, s *kxStores, table, label string, labels []string) []int64 {
	t.Helper()
	return pgQueryIDs(t, s, "SELECT id FROM "+table+" WHERE "+label+" = ANY($1)", labels)
}

// TestDrillPeopleByHand drills manager activity, activities against
// outcomes and the heatmap of January on kxPeopleFixture against the
// records worked out by hand (the story in activity_test.go and
// dashboard_kinds_test.go, plus the edges of kxPeopleFixture):
//
//	M1 calls A1 A2 A12 A13, e-mail A3, task done A6, overdue A7; on deals
//	   calls A1 A2 A12; created D1 D2 D3 D7 D9, won D1 D9, closed D1 D7 D9;
//	   moved forward D1 (3 moves) D2 (1) D3 (2, its return aside) D7 (2) D9 (1).
//	M2 call A11, e-mails A10 A15, meeting A4; on deals e-mail A10 and
//	   meeting A4; created D4 D5 D6; closed D4; moved D4 D5 (qual → prop)
//	   D8, one move each. M2 observes D1: sees A1 and A6 on it.
//
// Activities are named by subject, stage changes as deal:from>to.
func TestDrillPeopleByHand(t *testing.T) {
	s := kxReadOnly(t, kxPeopleFixture, kxNow)
	acts := func(names ...string) []int64 { return pgIDs(t, s, "activities", "subject", names) }
	changes := func(names ...string) []int64 {
		return pgIDs(t, s, "stage_changes", "deal_id || ':' || coalesce(from_stage_id, 0) || '>' || to_stage_id", names)
	}
	deals := func(ids ...int64) []int64 { return append([]int64{}, ids...) }
	const ma, ao, hm = reports.KindManagerActivity, reports.KindActivityOutcomes, reports.KindActivityHeatmap
	m1Moves := []string{"1:901>902", "1:902>903", "1:903>904", "2:901>903", "3:901>902", "7:901>902", "7:902>903", "9:911>912"}
	cases := []struct {
		name                       string
		as                         domain.Principal
		kind, params, cell, column string
		want                       []int64
	}{
		{"M1's calls: A13 at 23:59:59 Moscow in, A14 at midnight out", kxDirector, ma, "", `{"responsible":101}`, "calls", acts("A1", "A2", "A12", "A13")},
		{"M2's e-mails: A15 at midnight in, A16 at 23:59:59 before out", kxDirector, ma, "", `{"responsible":"102"}`, "emails", acts("A10", "A15")},
		{"M2's meetings (A5 not held)", kxDirector, ma, "", `{"responsible":102}`, "meetings", acts("A4")},
		{"tasks done", kxDirector, ma, "", `{"responsible":101}`, "tasks_done", acts("A6")},
		{"tasks overdue now", kxDirector, ma, "", `{}`, "tasks_overdue", acts("A7")},
		{"the team's calls", kxDirector, ma, "", `{}`, "calls", acts("A1", "A2", "A11", "A12", "A13")},
		{"deals created", kxDirector, ma, "", `{"responsible":101}`, "deals_created", deals(1, 2, 3, 7, 9)},
		{"deals moved forward", kxDirector, ma, "", `{"responsible":102}`, "deals_moved_forward", deals(4, 5, 8)},
		{"deals won", kxDirector, ma, "", `{"responsible":101}`, "deals_won", deals(1, 9)},
		{"won amount: the won deals", kxDirector, ma, "", `{}`, "won_amount", deals(1, 9)},
		{"days to win: the won deals", kxDirector, ma, "", `{"responsible":101}`, "avg_days_to_win", deals(1, 9)},
		{"win rate: the closed deals", kxDirector, ma, "", `{}`, "win_rate", deals(1, 4, 7, 9)},
		{"M2 has won nothing", kxDirector, ma, "", `{"responsible":102}`, "deals_won", deals()},
		{"one pipeline: not A12 (fy) nor A13 (no deal)", kxDirector, ma, `{"pipeline":"fx"}`, `{"responsible":101}`, "calls", acts("A1", "A2")},
		{"one pipeline's deals created", kxDirector, ma, `{"pipeline":"fx"}`, `{"responsible":101}`, "deals_created", deals(1, 2, 3, 7)},
		{"M1 drilling the team's calls: only M1's", kxM1, ma, "", `{}`, "calls", acts("A1", "A2", "A12", "A13")},
		{"M1 drilling the team's deals created", kxM1, ma, "", `{}`, "deals_created", deals(1, 2, 3, 7, 9)},
		{"M2 drilling the team's calls: own and D1's", kxM2, ma, "", `{}`, "calls", acts("A1", "A11")},
		{"M2 drilling M1's tasks: A6 on D1", kxM2, ma, "", `{"responsible":101}`, "tasks_done", acts("A6")},
		{"M2 drilling M1's deals created: D1 only", kxM2, ma, "", `{"responsible":101}`, "deals_created", deals(1)},
		{"outcomes: calls on deals", kxDirector, ao, "", `{"responsible":101}`, "calls", acts("A1", "A2", "A12")},
		{"outcomes: meetings on deals", kxDirector, ao, "", `{}`, "meetings", acts("A4")},
		{"outcomes: M1's forward moves are stage changes", kxDirector, ao, "", `{"responsible":101}`, "stages_advanced", changes(m1Moves...)},
		{"outcomes: the team's forward moves", kxDirector, ao, "", `{}`, "stages_advanced", changes(append(m1Moves, "4:901>902", "5:902>903", "8:901>902")...)},
		{"outcomes: M2's moves as M2", kxM2, ao, "", `{"responsible":102}`, "stages_advanced", changes("4:901>902", "5:902>903", "8:901>902")},
		{"heatmap: M1 on 6 January", kxDirector, hm, "", `{"owner":101,"created_at_day":"2025-01-06"}`, "count", acts("A2", "A6")},
		{"heatmap: 31 January till 23:59:59 Moscow", kxDirector, hm, "", `{"owner":101,"created_at_day":"2025-01-31"}`, "", acts("A13")},
		{"heatmap: 1 January from midnight Moscow", kxDirector, hm, "", `{"created_at_day":"2025-01-01"}`, "count", acts("A15")},
		{"heatmap: an owner's row", kxDirector, hm, "", `{"owner":102}`, "count", acts("A4", "A5", "A10", "A11", "A15")},
		{"heatmap: the total as M1", kxM1, hm, "", `{}`, "count", acts("A1", "A2", "A3", "A6", "A12", "A13")},
		{"heatmap by week, one pipeline", kxDirector, hm, `{"pipeline":"fx","grain":"week"}`, `{"owner":101,"created_at_week":"2025-01-06"}`, "count", acts("A2", "A6")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := peopleDrill(s.eng, c.as, c.kind, c.params, c.cell, c.column)
			if err != nil {
				t.Fatal(err)
			}
			if got := drillResultIDs(t, res); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ids %v, want %v", got, c.want)
			}
		})
	}
}

// TestDrillPeopleCountsTheNumber: for every row and the totals of each
// kind's January answer, as the director and as a manager, and every
// countable column, the drill lists as many records as the number says
// (the won amount: its deals' amounts add up to it; the days to win and
// the win rate: as many deals as deals won and, for the rate, as were
// closed: won / rate); a ratio column or a name is not countable.
func TestDrillPeopleCountsTheNumber(t *testing.T) {
	s := kxReadOnly(t, kxPeopleFixture, kxNow)
	jan := kxJanuary
	for _, p := range []domain.Principal{kxDirector, kxM2} {
		for _, kind := range []string{reports.KindManagerActivity, reports.KindActivityOutcomes, reports.KindActivityHeatmap} {
			res := kxRun(t, s.eng, p, kind, &jan, "")
			rows := append(slices.Clone(res.Rows), res.Totals)
			for i, row := range rows {
				cell := map[string]any{}
				for k, col := range res.Columns {
					if i < len(res.Rows) && (col.Key == "responsible" || col.Key == "owner" || strings.HasPrefix(col.Key, "created_at_")) {
						cell[col.Key] = row[k]
					}
				}
				cellJSON, _ := json.Marshal(cell)
				for k, col := range res.Columns {
					name := fmt.Sprintf("%d %s %s %s", p.UserID, kind, cellJSON, col.Key)
					dr, err := peopleDrill(s.eng, p, kind, "", string(cellJSON), col.Key)
					ae := apperr.As(err)
					countable := col.Type == reports.TypeInteger && col.Key != "responsible" && col.Key != "owner" ||
						col.Key == "won_amount" || col.Key == "avg_days_to_win" || col.Key == "win_rate"
					if !countable {
						if ae == nil || ae.Field != "column" || ae.Code != "not_countable" {
							t.Errorf("%s: %v, want 422 not_countable on column", name, err)
						}
						continue
					}
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					got := int64(len(drillResultIDs(t, dr)))
					switch v := row[k].(type) {
					case int64:
						if got != v {
							t.Errorf("%s: the answer says %d, the drill lists %d", name, v, got)
						}
					case domain.Money:
						if sum := drillSum(t, dr, "amount"); !sum.Equal(v.Decimal) {
							t.Errorf("%s: the answer says %s, the drilled deals add up to %s", name, v, sum)
						}
					case float64:
						won := row[slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == "deals_won" })].(int64)
						if col.Key == "avg_days_to_win" && got != won || col.Key == "win_rate" && math.Abs(float64(won)/float64(got)-v) > 1e-9 {
							t.Errorf("%s: %v over %d deals won, the drill lists %d", name, v, won, got)
						}
					case nil:
						if col.Key != "avg_days_to_win" && col.Key != "win_rate" || got != 0 {
							t.Errorf("%s: an empty number lists %d", name, got)
						}
					}
				}
			}
		}
	}
}

// drillSum adds up a money column of a drill.
func drillSum(t *testing.T, res *kinds.DrillResult, key string) decimal.Decimal {
	t.Helper()
	col := slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == key })
	if col < 0 {
		t.Fatalf("no %s column", key)
	}
	sum := decimal.Zero
	for _, r := range res.Rows {
		if m, ok := r[col].(domain.Money); ok {
			sum = sum.Add(m.Decimal)
		}
	}
	return sum
}

// TestDrillPeopleRecordColumns: an activity count lists the activities
// (with their deal), a forward-move count the stage changes, a deal
// count the deals.
func TestDrillPeopleRecordColumns(t *testing.T) {
	s := kxReadOnly(t, kxPeopleFixture, kxNow)
	for _, c := range []struct{ kind, column, want string }{
		{reports.KindManagerActivity, "calls", "id type subject owner_name deal_id lead_id due_at done_at created_at"},
		{reports.KindManagerActivity, "deals_won", "id title pipeline_name stage_name responsible_name company amount amount_original currency created_at closed_at"},
		{reports.KindActivityOutcomes, "stages_advanced", "id deal_id deal_title from_stage_name to_stage_name changed_at changed_by_name responsible_name reason"},
		{reports.KindActivityHeatmap, "count", "id type subject owner_name deal_id lead_id due_at done_at created_at"},
	} {
		res, err := peopleDrill(s.eng, kxDirector, c.kind, "", `{}`, c.column)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, col := range res.Columns {
			keys = append(keys, col.Key)
		}
		if strings.Join(keys, " ") != c.want {
			t.Errorf("%s %s: columns %v", c.kind, c.column, keys)
		}
		if res.Meta.From.IsZero() {
			t.Errorf("%s %s: no period in the meta", c.kind, c.column)
		}
	}
}

// TestDrillPeopleBadInput: a key the rows do not have, a value of the
// wrong type, a column not of the answer, one counting nothing, none at
// all and a bad limit are 422s naming the field.
func TestDrillPeopleBadInput(t *testing.T) {
	s := kxReadOnly(t, kxPeopleFixture, kxNow)
	const ma, ao, hm = reports.KindManagerActivity, reports.KindActivityOutcomes, reports.KindActivityHeatmap
	for _, c := range []struct {
		name, kind, cell, column, field, code string
	}{
		{"a key the rows do not have", ma, `{"owner":101}`, "calls", "cell.owner", "not_a_row_key"},
		{"the name is no key", ma, `{"responsible_name":"Иванов Иван"}`, "calls", "cell.responsible_name", "not_a_row_key"},
		{"a user id of the wrong type", ma, `{"responsible":"Иванов"}`, "calls", "cell.responsible", "invalid_value"},
		{"a user id of no user", ma, `{"responsible":-3}`, "calls", "cell.responsible", "invalid_value"},
		{"no column", ma, `{}`, "", "column", "required"},
		{"a column not of the answer", ma, `{}`, "stages_advanced", "column", "unknown_column"},
		{"a name counts nothing", ma, `{}`, "responsible_name", "column", "not_countable"},
		{"a ratio counts nothing", ao, `{}`, "calls_per_won", "column", "not_countable"},
		{"a heatmap bucket of another grain", hm, `{"created_at_week":"2025-01-06"}`, "count", "cell.created_at_week", "not_a_row_key"},
		{"a heatmap bucket not a date", hm, `{"created_at_day":"понедельник"}`, "count", "cell.created_at_day", "invalid_value"},
		{"a heatmap bucket a number", hm, `{"created_at_day":20250106}`, "count", "cell.created_at_day", "invalid_value"},
		{"the heatmap's owner name", hm, `{}`, "owner_name", "column", "not_countable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := peopleDrill(s.eng, kxDirector, c.kind, "", c.cell, c.column)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != c.field || ae.Code != c.code {
				t.Fatalf("error %v, want 422 %s on %s", err, c.code, c.field)
			}
			if d, _ := ae.Details.(map[string]any); d["allowed"] == nil && ae.Code != "invalid_value" {
				t.Errorf("no allowed values in %+v", ae.Details)
			}
		})
	}
	jan := kxJanuary
	_, err := s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{Definition: &reports.Definition{Kind: ma, Period: &jan},
		Cell: map[string]json.RawMessage{}, Column: "calls", DrillOptions: compile.DrillOptions{Limit: -1}})
	if ae := apperr.As(err); ae == nil || ae.Field != "limit" {
		t.Errorf("limit -1: %v, want 422 on limit", err)
	}
	if !slices.Contains(kinds.DrillKinds(), ma) || !slices.Contains(kinds.DrillKinds(), hm) || !slices.Contains(kinds.DrillKinds(), ao) {
		t.Errorf("drill kinds %v", kinds.DrillKinds())
	}
}

// kxPGForward is the forward moves of [$1, $2) in plain SQL: a change
// from an open stage to an open or won one further on.
const kxPGForward = `FROM stage_changes sc JOIN deals d ON d.id = sc.deal_id
    JOIN stages f ON f.id = sc.from_stage_id JOIN stages t ON t.id = sc.to_stage_id
    WHERE sc.changed_at >= $1 AND sc.changed_at < $2 AND f.kind = 'open' AND t.kind IN ('open', 'won') AND t.position > f.position`

// TestDrillPeopleMatchesPostgres: on 2,000 seeded deals over a year the
// busiest manager's records behind each kind of number, as the director
// drills them, equal plain SQL on PostgreSQL ($3 the manager, $4 now):
// activities by type and done_at, overdue tasks, deals created, won and
// closed, the deals moved forward and the forward moves themselves, the
// activities on one pipeline's deals and the heatmap's row.
func TestDrillPeopleMatchesPostgres(t *testing.T) {
	s := kxSeeded(t)
	year := kxSeedYear
	r, _ := year.Resolve(kxSeedNow, "period")
	m := kxBusyManager(t, s).UserID
	const done = "done_at >= $1 AND done_at < $2 AND owner_id = $3"
	const won = `FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.closed_at >= $1 AND d.closed_at < $2 AND d.responsible_id = $3`
	for _, c := range []struct{ kind, params, column, ref string }{
		{reports.KindManagerActivity, "", "calls", "SELECT id FROM activities WHERE type = 'call' AND " + done},
		{reports.KindManagerActivity, "", "emails", "SELECT id FROM activities WHERE type = 'email' AND " + done},
		{reports.KindManagerActivity, "", "meetings", "SELECT id FROM activities WHERE type = 'meeting' AND " + done},
		{reports.KindManagerActivity, "", "tasks_done", "SELECT id FROM activities WHERE type = 'task' AND " + done},
		{reports.KindManagerActivity, "", "tasks_overdue", "SELECT id FROM activities WHERE type = 'task' AND done_at IS NULL AND due_at < $4 AND owner_id = $3 AND $1::timestamptz < $2::timestamptz"},
		{reports.KindManagerActivity, "", "deals_created", "SELECT id FROM deals WHERE created_at >= $1 AND created_at < $2 AND responsible_id = $3"},
		{reports.KindManagerActivity, "", "deals_won", "SELECT d.id " + won + " AND s.kind = 'won'"},
		{reports.KindManagerActivity, "", "win_rate", "SELECT d.id " + won + " AND s.kind IN ('won', 'lost')"},
		{reports.KindManagerActivity, "", "deals_moved_forward", "SELECT DISTINCT sc.deal_id " + kxPGForward + " AND d.responsible_id = $3"},
		{reports.KindActivityOutcomes, "", "stages_advanced", "SELECT sc.id " + kxPGForward + " AND d.responsible_id = $3"},
		{reports.KindActivityOutcomes, "", "calls", "SELECT id FROM activities WHERE type = 'call' AND deal_id IS NOT NULL AND " + done},
		{reports.KindManagerActivity, `{"pipeline":"sales"}`, "calls", "SELECT id FROM activities WHERE type = 'call' AND " + done +
			" AND deal_id IN (SELECT d.id FROM deals d JOIN pipelines p ON p.id = d.pipeline_id WHERE p.code = 'sales')"},
		{reports.KindActivityHeatmap, "", "count", "SELECT id FROM activities WHERE created_at >= $1 AND created_at < $2 AND owner_id = $3"},
	} {
		t.Run(c.kind+" "+c.params+" "+c.column, func(t *testing.T) {
			key := "responsible"
			if c.kind == reports.KindActivityHeatmap {
				key = "owner"
			}
			def := &reports.Definition{Kind: c.kind, Period: &year, Params: json.RawMessage(c.params)}
			res, err := s.eng.Drill(context.Background(), kxDirector, kinds.DrillRequest{Definition: def, Column: c.column,
				Cell: map[string]json.RawMessage{key: json.RawMessage(strconv.FormatInt(m, 10))}})
			if err != nil {
				t.Fatal(err)
			}
			got := drillResultIDs(t, res)
			slices.Sort(got)
			var want []int64
			args := []any{r.From, r.To, m}
			if strings.Contains(c.ref, "$4") {
				args = append(args, kxSeedNow)
			}
			for _, row := range kxPGRows(t, s, c.ref, args...) {
				n, _ := strconv.ParseInt(row, 10, 64)
				want = append(want, n)
			}
			slices.Sort(want)
			if fmt.Sprint(got) != fmt.Sprint(want) || len(want) == 0 && c.column != "tasks_overdue" {
				t.Errorf("%d ids, reference %d: %v\nwant %v", len(got), len(want), got[:min(10, len(got))], want[:min(10, len(want))])
			}
		})
	}
}
