package olap_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// deal_facts by hand: the rouble amount at the rate of the creation date
// in Moscow (deal 1 is created on 1 March in UTC, 2 March in Moscow: the
// 2 March rate; deal 2 after the last rate: that one; deal 3 before any
// EUR rate: 0), the path of live changes with the stages left (a missing
// from_stage_id as 0, a deleted change left out), a deleted deal marked
// deleted, and versions that only grow: a rate change refreshes every
// deal above its version, a deal's update refreshes that deal alone.
func TestDealFactsRefresh(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	at, insert := factsHelpers(t, ch)
	day := func(s string) time.Time { return at(s + " 00:00") }
	dec := decimal.RequireFromString
	dealCols := []string{"id", "title", "pipeline_id", "stage_id", "amount", "currency", "responsible_id", "created_at", "updated_at", "_version", "_deleted"}
	deal := func(id int64, amount, cur, created string, v uint64, deleted uint8) []any {
		return []any{id, "Сделка", int64(1), int64(6), dec(amount), cur, int64(100), at(created), at(created), v, deleted}
	}
	insert("deals", dealCols,
		deal(1, "100.00", "USD", "2025-03-01 22:30", 3, 0),
		deal(2, "1234.56", "RUB", "2026-06-01 10:00", 3, 0),
		deal(3, "10.00", "EUR", "2024-01-01 10:00", 3, 0),
		deal(4, "5.00", "RUB", "2025-05-01 10:00", 3, 0),
		[]any{int64(4), "", int64(0), int64(0), dec("0"), "", int64(0), time.Unix(0, 0), time.Unix(0, 0), uint64(8), uint8(1)})
	rateCols := []string{"code", "valid_from", "rate", "_version", "_deleted"}
	insert("currency_rates", rateCols,
		[]any{"USD", day("2025-03-01"), dec("90.5"), uint64(4), uint8(0)},
		[]any{"USD", day("2025-03-02"), dec("91.12345678"), uint64(4), uint8(0)},
		[]any{"RUB", day("2000-01-01"), dec("1"), uint64(4), uint8(0)},
		[]any{"EUR", day("2025-01-01"), dec("100"), uint64(4), uint8(0)})
	changeCols := []string{"id", "deal_id", "pipeline_id", "from_stage_id", "to_stage_id", "changed_at", "_version", "_deleted"}
	insert("stage_changes", changeCols,
		[]any{int64(21), int64(1), int64(1), nil, int64(5), at("2025-03-02 09:00"), uint64(5), uint8(0)},
		[]any{int64(22), int64(1), int64(1), int64(5), int64(6), at("2025-03-02 12:00"), uint64(6), uint8(0)},
		[]any{int64(23), int64(1), int64(1), int64(6), int64(7), at("2025-03-02 15:00"), uint64(7), uint8(0)},
		[]any{int64(23), int64(1), int64(1), int64(6), int64(7), at("2025-03-02 15:00"), uint64(10), uint8(1)})
	facts := func() string {
		t.Helper()
		return strings.Join(chTexts(t, ch, `SELECT concat(toString(id), ' ', toString(rub), ' ', toString(times), ' ', toString(stages), ' ', toString(froms),
       ' v', toString(_version), if(_deleted = 1, ' deleted', ''))
FROM {db}.deal_facts FINAL ORDER BY id`), "\n")
	}
	check := func(when string, want ...string) {
		t.Helper()
		if got := facts(); got != strings.Join(want, "\n") {
			t.Fatalf("%s, deal_facts:\n%s\nwant\n%s", when, got, strings.Join(want, "\n"))
		}
	}
	if err := ch.DB.RefreshDealFacts(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check("refreshed whole",
		"1 9112.35 ['2025-03-02 09:00:00','2025-03-02 12:00:00'] [5,6] [0,5] v10",
		"2 1234.56 [] [] [] v4",
		"3 0.00 [] [] [] v4",
		"4 0.00 [] [] [] v8 deleted")

	insert("currency_rates", rateCols, []any{"USD", day("2025-03-02"), dec("92"), uint64(20), uint8(0)})
	if err := ch.DB.RefreshDerivedOf(ctx, []string{"currency_rates"}); err != nil {
		t.Fatal(err)
	}
	check("after a rate change",
		"1 9200.00 ['2025-03-02 09:00:00','2025-03-02 12:00:00'] [5,6] [0,5] v20",
		"2 1234.56 [] [] [] v20",
		"3 0.00 [] [] [] v20",
		"4 0.00 [] [] [] v20 deleted")

	insert("deals", dealCols, deal(1, "200.00", "USD", "2025-03-01 22:30", 21, 0), deal(2, "1.00", "RUB", "2026-06-01 10:00", 21, 0))
	if err := ch.DB.RefreshDealFacts(ctx, []int64{1}); err != nil {
		t.Fatal(err)
	}
	check("after deal 1 changed (deal 2 changed too, not refreshed)",
		"1 18400.00 ['2025-03-02 09:00:00','2025-03-02 12:00:00'] [5,6] [0,5] v21",
		"2 1234.56 [] [] [] v20",
		"3 0.00 [] [] [] v20",
		"4 0.00 [] [] [] v20 deleted")
}

// factsHelpers are a fixture's two helpers: at reads "2025-03-01 10:00"
// as UTC, insert writes rows into a table of ch.
func factsHelpers(t *testing.T, ch *testenv.CH) (at func(string) time.Time, insert func(string, []string, ...[]any)) {
	at = func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	insert = func(table string, cols []string, rows ...[]any) {
		t.Helper()
		if err := ch.DB.Insert(context.Background(), table, cols, rows); err != nil {
			t.Fatalf("insert %s: %v", table, err)
		}
	}
	return at, insert
}

// The forecast history by hand: a deal's expected close dates and
// categories in time order whatever order they arrive in (a NULL as
// 0000-00-00 or the empty string), a deleted change left out, a deal
// without history with empty arrays; the row's version follows the
// history's too.
func TestDealFactsForecastHistory(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	at, insert := factsHelpers(t, ch)
	day := func(s string) *time.Time { v := at(s + " 00:00"); return &v }
	str := func(s string) *string { return &s }
	dealCols := []string{"id", "title", "pipeline_id", "stage_id", "amount", "currency", "responsible_id", "created_at", "updated_at",
		"expected_close_at", "forecast_category", "_version"}
	insert("deals", dealCols,
		[]any{int64(1), "Сделка", int64(1), int64(6), decimal.RequireFromString("1"), "RUB", int64(100), at("2025-03-01 10:00"), at("2025-03-20 10:00"),
			day("2025-05-15"), str("commit"), uint64(3)},
		[]any{int64(2), "Другая", int64(1), int64(6), decimal.RequireFromString("1"), "RUB", int64(100), at("2025-03-01 10:00"), at("2025-03-01 10:00"),
			nil, nil, uint64(3)})
	cols := []string{"id", "deal_id", "changed_at", "expected_close_at", "forecast_category", "_version", "_deleted"}
	insert("deal_forecast_changes", cols,
		[]any{int64(3), int64(1), at("2025-03-20 10:00"), day("2025-05-15"), str("commit"), uint64(9), uint8(0)},
		[]any{int64(1), int64(1), at("2025-03-01 10:00"), day("2025-04-10"), nil, uint64(4), uint8(0)},
		[]any{int64(2), int64(1), at("2025-03-10 10:00"), nil, nil, uint64(6), uint8(0)},
		[]any{int64(4), int64(1), at("2025-03-21 10:00"), day("2025-06-01"), nil, uint64(7), uint8(0)},
		[]any{int64(4), int64(1), at("2025-03-21 10:00"), day("2025-06-01"), nil, uint64(11), uint8(1)})
	if err := ch.DB.RefreshDealFacts(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got := chTexts(t, ch, `SELECT concat(toString(id), ' ', ifNull(forecast_category, '-'), ' ', toString(fc_times), ' ',
       toString(arrayMap(d -> if(d = toDate(0), '-', toString(d)), fc_dates)), ' ', toString(arrayMap(c -> if(c = '', '-', c), fc_cats)), ' v', toString(_version))
FROM {db}.deal_facts FINAL ORDER BY id`)
	want := []string{
		"1 commit ['2025-03-01 10:00:00','2025-03-10 10:00:00','2025-03-20 10:00:00'] ['2025-04-10','-','2025-05-15'] ['-','-','commit'] v11",
		"2 - [] [] [] v3",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("deal_facts:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A copy that held deals before deal_facts existed gets the facts filled
// when migration 4 is applied.
func TestDealFactsMigrationBackfills(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	created := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	closeOn := time.Date(2025, 4, 30, 0, 0, 0, 0, time.UTC)
	if err := ch.DB.Insert(ctx, "deals", []string{"id", "title", "pipeline_id", "stage_id", "amount", "currency", "responsible_id", "created_at", "updated_at", "expected_close_at", "_version"},
		[][]any{{int64(5), "Сделка", int64(1), int64(6), decimal.RequireFromString("10.00"), "USD", int64(100), created, created, &closeOn, uint64(3)}}); err != nil {
		t.Fatal(err)
	}
	if err := ch.DB.Insert(ctx, "currency_rates", []string{"code", "valid_from", "rate", "_version"},
		[][]any{{"USD", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), decimal.RequireFromString("90.5"), uint64(2)}}); err != nil {
		t.Fatal(err)
	}
	// As on a database from before deal_facts: 00004 and the later
	// migrations of its columns (00007 and 00009, whose deals columns and
	// table are there already and are skipped) run again, and the table
	// is filled once with every column.
	for _, q := range []string{"DROP TABLE {db}.deal_facts", "ALTER TABLE {db}.schema_migrations DELETE WHERE version IN (4, 7, 9)"} {
		if err := ch.DB.Exec(ctx, olap.SQL(strings.ReplaceAll(q, "{db}", ch.Database))); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	waitMutations(t, ch)
	if applied, err := olap.Migrate(ctx, ch.DB); err != nil || strings.Join(applied, " ") != "00004_deal_facts.sql 00007_expected_close.sql 00009_forecast_history.sql" {
		t.Fatalf("migrate applied %v (%v), want 00004_deal_facts.sql 00007_expected_close.sql 00009_forecast_history.sql", applied, err)
	}
	if got := chTexts(t, ch, "SELECT concat(toString(id), ' ', toString(rub), ' ', toString(expected_close_at)) FROM {db}.deal_facts FINAL"); strings.Join(got, ",") != "5 905.00 2025-04-30" {
		t.Fatalf("deal_facts after the migration: %v, want [5 905.00 2025-04-30]", got)
	}
}
