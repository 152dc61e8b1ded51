package dataset

import (
	"context"
	"fmt"
	"testing"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// TestAccessOnClickHouse loads a hand-made fixture into ClickHouse and
// checks, per role and per row kind, which ids each filter lets through —
// expected ids worked out by hand from the fixture below.
func TestAccessOnClickHouse(t *testing.T) {
	ch := testenv.NewCH(t)
	ctx := context.Background()
	ins := func(table string, cols []string, rows ...[]any) {
		t.Helper()
		for i := range rows {
			rows[i] = append(rows[i], uint64(1), uint8(0))
		}
		if err := ch.DB.Insert(ctx, table, append(cols, "_version", "_deleted"), rows); err != nil {
			t.Fatal(err)
		}
	}
	// Managers 7 and 8. Deal 1: 7's. Deal 2: 8's, 7 observes. Deal 3: 8's.
	// Deal 4: 7's but deleted later (a newer version with _deleted = 1).
	ins("deals", []string{"id", "responsible_id"}, []any{int64(1), int64(7)}, []any{int64(2), int64(8)}, []any{int64(3), int64(8)}, []any{int64(4), int64(7)})
	if err := ch.DB.Insert(ctx, "deals", []string{"id", "responsible_id", "_version", "_deleted"}, [][]any{{int64(4), int64(7), uint64(2), uint8(1)}}); err != nil {
		t.Fatal(err)
	}
	ins("deal_observers", []string{"deal_id", "user_id"}, []any{int64(2), int64(7)})
	ins("leads", []string{"id", "responsible_id"}, []any{int64(10), int64(7)}, []any{int64(11), int64(8)})
	ins("invoices", []string{"id", "deal_id"}, []any{int64(20), int64(1)}, []any{int64(21), int64(2)}, []any{int64(22), int64(3)})
	ins("payments", []string{"id", "invoice_id"}, []any{int64(30), int64(20)}, []any{int64(31), int64(22)})
	// Orders 50 (deal 1), 51 (deal 3); acts 60 of order 50, 61 of order 51.
	ins("orders", []string{"id", "deal_id"}, []any{int64(50), int64(1)}, []any{int64(51), int64(3)})
	ins("acts", []string{"id", "order_id"}, []any{int64(60), int64(50)}, []any{int64(61), int64(51)})
	// Activity 40: 8's on deal 2 (7 observes it); 41: 8's on lead 11; 42: 7's own, no deal; 43: 8's on deal 3.
	ins("activities", []string{"id", "owner_id", "deal_id", "lead_id"},
		[]any{int64(40), int64(8), int64Ptr(2), nil}, []any{int64(41), int64(8), nil, int64Ptr(11)},
		[]any{int64(42), int64(7), nil, nil}, []any{int64(43), int64(8), int64Ptr(3), nil})
	mgr7 := NewAccess(ch.DB.Names, domain.Principal{UserID: 7, Role: domain.RoleManager})
	dir := NewAccess(ch.DB.Names, domain.Principal{UserID: 1, Role: domain.RoleDirector})
	cases := []struct {
		name, table string
		cond        func(Access) sq.Sqlizer
		manager7    []int64
		director    []int64
	}{
		{"deals", "deals", func(a Access) sq.Sqlizer { return a.Deals("id", "responsible_id") }, []int64{1, 2}, []int64{1, 2, 3}},
		{"invoices", "invoices", func(a Access) sq.Sqlizer { return a.DealIDs("deal_id") }, []int64{20, 21}, []int64{20, 21, 22}},
		{"payments", "payments", func(a Access) sq.Sqlizer { return a.Payments("invoice_id") }, []int64{30}, []int64{30, 31}},
		{"leads", "leads", func(a Access) sq.Sqlizer { return a.Leads("responsible_id") }, []int64{10}, []int64{10, 11}},
		{"orders", "orders", func(a Access) sq.Sqlizer { return a.DealIDs("deal_id") }, []int64{50}, []int64{50, 51}},
		{"acts", "acts", func(a Access) sq.Sqlizer { return a.Orders("order_id") }, []int64{60}, []int64{60, 61}},
		{"activities", "activities", func(a Access) sq.Sqlizer { return a.Activities("owner_id", "deal_id", "lead_id") },
			[]int64{40, 42}, []int64{40, 41, 42, 43}},
	}
	for _, c := range cases {
		for _, who := range []struct {
			a    Access
			want []int64
		}{{mgr7, c.manager7}, {dir, c.director}} {
			got := visibleIDs(t, ch.DB, c.table, who.a, c.cond)
			if fmt.Sprint(got) != fmt.Sprint(who.want) {
				t.Errorf("%s as %v: ids %v, want %v", c.name, who.a.p.Role, got, who.want)
			}
		}
	}
}

// visibleIDs selects the current ids of table that the filter lets through.
func visibleIDs(t *testing.T, db *olap.DB, table string, a Access, cond func(Access) sq.Sqlizer) []int64 {
	t.Helper()
	c := cond(a)
	full := db.Table(table)
	q, args, err := sq.Select("id").From(full + " FINAL").Where(sq.Eq{"_deleted": 0}).Where(c).OrderBy("id").ToSql()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(context.Background(), olap.SQL(q, args...))
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func int64Ptr(v int64) *int64 { return &v }
