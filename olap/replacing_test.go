package olap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

var dealCols = []string{"id", "title", "pipeline_id", "stage_id", "amount", "currency", "responsible_id", "created_at", "updated_at", "_version", "_deleted"}

func dealRow(id int64, title, amount string, version uint64) []any {
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	return []any{id, title, int64(2), int64(7), dec(amount), "RUB", int64(1), at, at, version, uint8(0)}
}

// tombstone is what ingest writes for a delete: the sorting key, the
// version and the flag; every other column takes its default.
func tombstone(id int64, version uint64) []any { return []any{id, version, uint8(1)} }

// currentDeals reads current state both ways reports may: FINAL and
// argMax by _version. Each returns "id:title:amount" sorted by id.
func currentDeals(t *testing.T, ch *testenv.CH) (final, argmax string) {
	t.Helper()
	qf := "SELECT id, title, amount FROM " + ch.Database + ".deals FINAL WHERE _deleted = 0 ORDER BY id"
	qa := `SELECT id, argMax(title, _version), argMax(amount, _version)
FROM ` + ch.Database + `.deals GROUP BY id HAVING argMax(_deleted, _version) = 0 ORDER BY id`
	return scanDeals(t, ch, qf), scanDeals(t, ch, qa)
}

func scanDeals(t *testing.T, ch *testenv.CH, q string) string {
	t.Helper()
	rows, err := ch.DB.Query(context.Background(), olap.SQL(q))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var title string
		var amount = dec("0")
		if err := rows.Scan(&id, &title, &amount); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d:%s:%s", id, title, amount.StringFixed(2)))
	}
	return strings.Join(out, " ")
}

// Each write is its own insert, so each lands in its own part: the
// answers below come from query-time de-duplication, not from a merge —
// and must not change after one.
func TestReplacingMergeTreeKeepsLatestVersion(t *testing.T) {
	testenv.SingleServer(t, "it merges the table's parts with OPTIMIZE, which a Distributed table has not")
	ctx := context.Background()
	ch := testenv.NewCH(t)
	writes := []struct {
		cols []string
		row  []any
	}{
		{dealCols, dealRow(1, "Поставка", "100.00", 10)},
		{dealCols, dealRow(1, "Поставка станков", "150.50", 20)}, // update
		{dealCols, dealRow(2, "Аренда", "99.99", 11)},
		{[]string{"id", "_version", "_deleted"}, tombstone(2, 30)}, // delete
		{dealCols, dealRow(3, "Сервис", "0.01", 40)},
		{dealCols, dealRow(3, "Сервис", "0.01", 40)},               // replayed batch
		{dealCols, dealRow(4, "Лизинг", "500.00", 60)},             // newer arrives first
		{dealCols, dealRow(4, "Лизинг (старое)", "1.00", 50)},      // older replayed later
		{[]string{"id", "_version", "_deleted"}, tombstone(5, 70)}, // delete before the insert replays
		{dealCols, dealRow(5, "Удалённая", "7.00", 65)},
	}
	for i, w := range writes {
		if err := ch.DB.Insert(ctx, "deals", w.cols, [][]any{w.row}); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	const want = "1:Поставка станков:150.50 3:Сервис:0.01 4:Лизинг:500.00"
	if final, argmax := currentDeals(t, ch); final != want || argmax != want {
		t.Fatalf("current state\n FINAL  %s\n argMax %s\n want   %s", final, argmax, want)
	}
	if err := ch.DB.Exec(ctx, olap.SQL("OPTIMIZE TABLE "+ch.Database+".deals FINAL")); err != nil {
		t.Fatal(err)
	}
	if final, argmax := currentDeals(t, ch); final != want || argmax != want {
		t.Fatalf("after merge\n FINAL  %s\n argMax %s\n want   %s", final, argmax, want)
	}
}

// History rows replayed by a restarted stream are counted once.
func TestEventTableAbsorbsReplays(t *testing.T) {
	ctx := context.Background()
	ch := testenv.NewCH(t)
	cols := []string{"id", "deal_id", "pipeline_id", "from_stage_id", "to_stage_id", "changed_at", "_version", "_deleted"}
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	batch := [][]any{
		{int64(1), int64(9), int64(2), nil, int64(6), at, uint64(100), uint8(0)},
		{int64(2), int64(9), int64(2), int64(6), int64(7), at.Add(time.Hour), uint64(101), uint8(0)},
	}
	for i := 0; i < 2; i++ {
		if err := ch.DB.Insert(ctx, "stage_changes", cols, batch); err != nil {
			t.Fatal(err)
		}
	}
	var n uint64
	q := "SELECT count() FROM " + ch.Database + ".stage_changes FINAL WHERE _deleted = 0"
	if err := ch.DB.QueryRow(ctx, olap.SQL(q)).Scan(&n); err != nil || n != 2 {
		t.Fatalf("stage_changes after a replay: %d rows (%v), want 2", n, err)
	}
}
