package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// cmpFixture: two managers' deals around month, quarter and year edges,
// created at Moscow instants (all RUB, pipeline fx; every deal enters
// "new" when created, C4 is won since 2024-02-05):
//
//	C8 M1   800  2023-02-10 12:00        February 2023
//	C1 M1  1000  2023-02-28 12:00        February 2023 (its last day)
//	C2 M1  2000  2023-03-01 00:00:00     March 2023 (not February)
//	C6 M1  6000  2023-12-15 10:00        December 2023, Q4
//	C5 M2  5000  2024-01-31 23:59:59     January 2024
//	C4 M1  4000  2024-02-01 00:00:00     February 2024, won 02-05
//	C3 M2  3000  2024-02-29 23:59:59     February 2024 (a leap day)
//	C7 M2  7000  2024-03-10 10:00        March 2024
//	C9 M2  9000  2024-03-10 16:00        March 2024
//	C10 M1 10000 2024-04-02 10:00        April 2024 (now: 2024-04-10 12:00 UTC = 15:00 Moscow)
const cmpFixture = `
INSERT INTO users (id, email, name, role, password_hash) OVERRIDING SYSTEM VALUE VALUES
    (100, 'dir@cmp.local', 'Орлова Марина', 'director', 'x'),
    (101, 'm1@cmp.local', 'Иванов Иван', 'manager', 'x'),
    (102, 'm2@cmp.local', 'Петрова Анна', 'manager', 'x');
INSERT INTO pipelines (id, code, name, entity) OVERRIDING SYSTEM VALUE VALUES (900, 'fx', 'Продажи', 'deal');
INSERT INTO stages (id, pipeline_id, code, name, position, kind, probability, stage_group) OVERRIDING SYSTEM VALUE VALUES
    (901, 900, 'new', 'Новая', 1, 'open', 10, 'Новые'), (904, 900, 'won', 'Успех', 2, 'won', 100, 'Победа');
INSERT INTO deals (id, title, pipeline_id, stage_id, amount, currency, responsible_id, created_at, updated_at, closed_at)
OVERRIDING SYSTEM VALUE VALUES
    (8,  'C8',  900, 901, 800,   'RUB', 101, '2023-02-10 12:00+03',    '2023-02-10 12:00+03', NULL),
    (1,  'C1',  900, 901, 1000,  'RUB', 101, '2023-02-28 12:00+03',    '2023-02-28 12:00+03', NULL),
    (2,  'C2',  900, 901, 2000,  'RUB', 101, '2023-03-01 00:00:00+03', '2023-03-01 00:00+03', NULL),
    (6,  'C6',  900, 901, 6000,  'RUB', 101, '2023-12-15 10:00+03',    '2023-12-15 10:00+03', NULL),
    (5,  'C5',  900, 901, 5000,  'RUB', 102, '2024-01-31 23:59:59+03', '2024-01-31 23:59:59+03', NULL),
    (4,  'C4',  900, 904, 4000,  'RUB', 101, '2024-02-01 00:00:00+03', '2024-02-05 10:00+03', '2024-02-05 10:00+03'),
    (3,  'C3',  900, 901, 3000,  'RUB', 102, '2024-02-29 23:59:59+03', '2024-02-29 23:59:59+03', NULL),
    (7,  'C7',  900, 901, 7000,  'RUB', 102, '2024-03-10 10:00+03',    '2024-03-10 10:00+03', NULL),
    (9,  'C9',  900, 901, 9000,  'RUB', 102, '2024-03-10 16:00+03',    '2024-03-10 16:00+03', NULL),
    (10, 'C10', 900, 901, 10000, 'RUB', 101, '2024-04-02 10:00+03',    '2024-04-02 10:00+03', NULL);
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at)
    SELECT id, 900, NULL, 901, created_at FROM deals;
INSERT INTO stage_changes (deal_id, pipeline_id, from_stage_id, to_stage_id, changed_at) VALUES
    (4, 900, 901, 904, '2024-02-05 10:00+03');
`

var cmpNow = time.Date(2024, 4, 10, 12, 0, 0, 0, time.UTC)

// cmpDef is a grouped deals report: count and roubles by the dimensions
// given, over the period, compared as asked.
func cmpDef(dims, period, compare string) string {
	return `{"dataset":"deals","dimensions":[` + dims + `],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],
		"period":` + period + `,"compare":"` + compare + `"}`
}

func cmpRun(t *testing.T, s *kxStores, p domain.Principal, def string) *reports.Result {
	t.Helper()
	return runJSON(t, s.eng, p, def)
}

// TestCompareByHand: columns dims|count|amount|count_prev|count_change|
// amount_prev|amount_change, every figure from cmpFixture's table.
func TestCompareByHand(t *testing.T) {
	s := kxReadOnly(t, cmpFixture, cmpNow)
	feb := `{"from":"2024-02-01","to":"2024-02-29"}`
	for _, tc := range []struct {
		name, def string
		as        domain.Principal
		rows      []string
		total     string
	}{
		{"a calendar month against the month before (Moscow edges: C5 is January's, C4 February's)",
			cmpDef(`{"field":"responsible_name"}`, feb, "previous_period"), kxDirector, []string{
				"Иванов Иван|1|4000.00|null|null|null|null",
				"Петрова Анна|1|3000.00|1|0.0000|5000.00|-0.4000"},
			"null|2|7000.00|1|1.0000|5000.00|0.4000"},
		{"a manager compares their own deals only", cmpDef(`{"field":"responsible_name"}`, feb, "previous_period"),
			domain.Principal{UserID: 102, Role: domain.RoleManager}, []string{
				"Петрова Анна|1|3000.00|1|0.0000|5000.00|-0.4000"},
			"null|1|3000.00|1|0.0000|5000.00|-0.4000"},
		{"a leap February against the February before, by day (C2 is March's; the year-old days moved a year on)",
			cmpDef(`{"field":"created_at","grain":"day"}`, feb, "previous_year"), kxDirector, []string{
				"2024-02-01|1|4000.00|null|null|null|null",
				"2024-02-29|1|3000.00|null|null|null|null",
				"2024-02-10|null|null|1|null|800.00|null",
				"2024-02-28|null|null|1|null|1000.00|null"},
			"null|2|7000.00|2|0.0000|1800.00|2.8889"},
		{"a quarter against the quarter before, by month (December 2023 meets March 2024)",
			cmpDef(`{"field":"created_at","grain":"month"}`, `{"from":"2024-01-01","to":"2024-03-31"}`, "previous_period"), kxDirector, []string{
				"2024-01-01|1|5000.00|null|null|null|null",
				"2024-02-01|2|7000.00|null|null|null|null",
				"2024-03-01|2|16000.00|1|1.0000|6000.00|1.6667"},
			"null|5|28000.00|1|4.0000|6000.00|3.6667"},
		{"this month so far against as much of the month before (up to 10 March 15:00: C7, not C9)",
			cmpDef(``, `{"preset":"this_month"}`, "previous_period"), kxDirector, []string{
				"1|10000.00|1|0.0000|7000.00|0.4286"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := cmpRun(t, s, tc.as, tc.def)
			kxExpect(t, "rows", kxCells(res.Rows), tc.rows...)
			if tc.total != "" {
				kxExpect(t, "totals", kxCells([][]any{res.Totals}), tc.total)
			}
			if res.Meta.Compared == nil {
				t.Fatal("meta.compared missing")
			}
		})
	}
	// the running month: the previous period is cut where as much of it
	// has passed, and the column's definition says so
	res := cmpRun(t, s, kxDirector, cmpDef(``, `{"preset":"this_month"}`, "previous_period"))
	c := res.Meta.Compared
	if !c.Partial || !c.From.Equal(time.Date(2024, 2, 29, 21, 0, 0, 0, time.UTC)) || !c.To.Equal(time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("compared %+v, want March from its start to 10 March 15:00 Moscow, partial", c)
	}
	if d := res.Columns[2].Definition; res.Columns[2].Key != "count_prev" || !strings.Contains(d, "01.03.2024") || !strings.Contains(d, "15:00") {
		t.Errorf("count_prev column %q: %q", res.Columns[2].Key, d)
	}
	if k := res.Columns[3]; k.Key != "count_change" || k.Type != reports.TypePercent {
		t.Errorf("change column %+v", k)
	}
}

// TestCompareFunnel: February 2024's reached funnel against February
// 2023's: "new" 2 (C4, C3; 4 000 + 3 000) against 2 (C8, C1; 1 800),
// "won" 1 (C4) against none.
func TestCompareFunnel(t *testing.T) {
	s := kxReadOnly(t, cmpFixture, cmpNow)
	f, err := s.eng.Funnel(context.Background(), kxDirector, reports.FunnelRequest{Pipeline: "fx",
		Period: &reports.Period{From: "2024-02-01", To: "2024-02-29"}, Compare: reports.ComparePreviousYear})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range f.Steps {
		var conv any
		if st.ConversionFromFirstPrev != nil {
			conv = *st.ConversionFromFirstPrev
		}
		got = append(got, st.Stage+"|"+kxCells([][]any{{st.Count, st.Amount, *st.CountPrev, *st.AmountPrev, conv}})[0])
	}
	kxExpect(t, "steps", got, "new|2|7000.00|2|1800.00|1.0000", "won|1|4000.00|0|0.00|0.0000")
	if f.Meta.Compared == nil || f.Meta.Compared.Mode != reports.ComparePreviousYear || f.Meta.Compared.Partial {
		t.Errorf("meta.compared %+v", f.Meta.Compared)
	}
}

// Bad comparisons are 422s on compare, nothing run.
func TestCompareBadInput(t *testing.T) {
	s := kxReadOnly(t, "", cmpNow)
	feb := `{"from":"2024-02-01","to":"2024-02-29"}`
	for _, tc := range []struct{ def, code string }{
		{cmpDef(`{"field":"responsible_name"}`, feb, "yesterday"), "invalid_choice"},
		{`{"dataset":"deals","measures":[{"agg":"count"}],"compare":"previous_period"}`, "needs_period"},
		{`{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"stage_kind"}],"measures":[{"agg":"count"}],
			"pivot":{"columns":["stage_kind"]},"period":` + feb + `,"compare":"previous_period"}`, "not_supported"},
		{`{"kind":"stage_percentages","params":{"pipeline":"sales"},"compare":"previous_year"}`, "not_supported"},
	} {
		d, err := reports.ParseDefinition([]byte(tc.def))
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.eng.Run(context.Background(), kxDirector, d)
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != "compare" || e.Code != tc.code {
			t.Errorf("%s: %v, want 422 compare %s", tc.def, err, tc.code)
		}
		if err := s.eng.Validate(d); apperr.As(err) == nil || apperr.As(err).Field != "compare" {
			t.Errorf("validate %s: %v", tc.def, err)
		}
	}
	for _, req := range []reports.FunnelRequest{
		{Pipeline: "sales", Period: &reports.Period{Preset: "this_month"}, Compare: "last_week"},
		{Pipeline: "sales", Mode: "current", Compare: reports.ComparePreviousYear},
	} {
		_, err := s.eng.Funnel(context.Background(), kxDirector, req)
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != "compare" {
			t.Errorf("funnel %+v: %v, want 422 on compare", req, err)
		}
	}
}

// TestCompareInOneMatchesTwoRuns: on the seeded data, a comparison made
// in one statement (additive measures) and one made by two runs (an
// average among them) both equal the plain definition run over each
// period on its own: every current cell the plain current run's, every
// _prev cell the plain previous run's (matched by the rows' dimensions,
// a month moved by the shift), for a director and a manager.
func TestCompareInOneMatchesTwoRuns(t *testing.T) {
	s := kxSeeded(t)
	m := kxBusyManager(t, s)
	q1 := `{"from":"2025-01-01","to":"2025-03-31"}`
	for _, tc := range []struct{ name, dims, measures, period, compare, prevPeriod string }{
		{"by manager and month, a quarter against the one before", `{"field":"responsible_name"},{"field":"created_at","grain":"month"}`,
			`{"agg":"count"},{"field":"amount","agg":"sum"},{"field":"amount","agg":"max"}`, q1, "previous_period", `{"from":"2024-10-01","to":"2024-12-31"}`},
		{"by stage, a year before, closed_at decides", `{"field":"stage_name"}`, `{"agg":"count"},{"field":"amount","agg":"min"}`,
			`{"field":"closed_at","from":"2025-01-01","to":"2025-03-31"}`, "previous_year", `{"field":"closed_at","from":"2024-01-01","to":"2024-03-31"}`},
		{"no dimensions", ``, `{"agg":"count"},{"field":"amount","agg":"sum"}`, q1, "previous_period", `{"from":"2024-10-01","to":"2024-12-31"}`},
		{"an average: two runs", `{"field":"source"}`, `{"agg":"count"},{"field":"amount","agg":"avg"}`, q1, "previous_year", `{"from":"2024-01-01","to":"2024-03-31"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, who := range []domain.Principal{kxDirector, m} {
				def := func(period, compare string) string {
					return `{"dataset":"deals","dimensions":[` + tc.dims + `],"measures":[` + tc.measures + `],"period":` + period + `,"compare":"` + compare + `"}`
				}
				got := runJSON(t, s.eng, who, def(tc.period, tc.compare))
				cur, prev := runJSON(t, s.eng, who, def(tc.period, "")), runJSON(t, s.eng, who, def(tc.prevPeriod, ""))
				nd, nm := strings.Count(tc.dims, "field"), strings.Count(tc.measures, "agg")
				key := func(row []any, shift bool) string {
					k := ""
					for i := range nd {
						v := kxCells([][]any{{row[i]}})[0]
						if shift && strings.Contains(tc.dims, "grain") && i == 1 {
							d, _ := time.Parse(time.DateOnly, v)
							v = d.AddDate(0, 3, 0).Format(time.DateOnly)
						}
						k += v + "|"
					}
					return k
				}
				want := map[string][]string{}
				for _, r := range cur.Rows {
					want[key(r, false)] = append(want[key(r, false)], kxCells([][]any{r[nd:]})[0])
				}
				prevOf := map[string]string{}
				for _, r := range prev.Rows {
					prevOf[key(r, true)] = kxCells([][]any{r[nd:]})[0]
				}
				if len(got.Rows) < len(cur.Rows) || len(got.Rows) < 2 && nd > 0 {
					t.Fatalf("%d compared rows for %d current", len(got.Rows), len(cur.Rows))
				}
				for _, r := range got.Rows {
					k := key(r, false)
					nowCells := r[nd : nd+nm]
					var prevCells []any
					for j := range nm {
						prevCells = append(prevCells, r[nd+nm+2*j])
					}
					if w, ok := want[k]; ok && kxCells([][]any{nowCells})[0] != w[0] {
						t.Errorf("%v row %s: now %v, plain run %v", who.Role, k, kxCells([][]any{nowCells})[0], w[0])
					}
					if p, ok := prevOf[k]; ok && kxCells([][]any{prevCells})[0] != p {
						t.Errorf("%v row %s: prev %v, plain previous run %v", who.Role, k, kxCells([][]any{prevCells})[0], p)
					} else if !ok && strings.Trim(strings.ReplaceAll(kxCells([][]any{prevCells})[0], "null", ""), "|") != "" {
						t.Errorf("%v row %s: prev %v where the previous run has no row", who.Role, k, prevCells)
					}
				}
				if nd > 0 {
					if g, w := kxCells([][]any{got.Totals[:nd+nm]})[0], kxCells([][]any{cur.Totals})[0]; g != w {
						t.Errorf("%v totals now %s, plain %s", who.Role, g, w)
					}
				}
			}
		})
	}
}
