package olap_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/voronka/voronka/internal/devenv"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// clusterCH is a fresh database on the local cluster, in cluster mode,
// migrated, and a direct connection to each of its four nodes.
func clusterCH(t *testing.T) (*olap.DB, []clickhouse.Conn) {
	t.Helper()
	dev := testenv.DevCluster(t)
	db, err := olap.OpenCluster(context.Background(), dev.ClusterAddrs(), testenv.DBName(), devenv.ClusterName)
	if err != nil {
		t.Fatal(err)
	}
	ch := testenv.Adopt(t, db, dev.ClusterAddrs(), db.Close)
	testenv.Migrated(t, ch)
	var nodes []clickhouse.Conn
	for _, addr := range strings.Split(dev.ClusterAddrs(), ",") {
		c, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		nodes = append(nodes, c)
	}
	return db, nodes
}

// nodeStrings runs q (one String column) on one node.
func nodeStrings(t *testing.T, c clickhouse.Conn, q string) []string {
	t.Helper()
	rows, err := c.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// On the cluster the migrations make, on every node, each mirror table a
// Distributed table over a Replicated shard-local one sharded by the
// first column of its sorting key, and each reference table one
// Replicated table whose replicas are all four nodes; rows inserted
// through the Distributed table land on the shard their key picks,
// replicate to the shard's other replica, and read back whole from any
// node; the same block inserted again (a retry) is not doubled; a column
// added to a sharded and to a reference table shows on every node.
func TestClusterSchema(t *testing.T) {
	ctx := context.Background()
	db, nodes := clusterCH(t)
	engines := func(c clickhouse.Conn) map[string]string {
		out := map[string]string{}
		for _, s := range nodeStrings(t, c, "SELECT concat(name, ' ', engine) FROM system.tables WHERE database = '"+db.Database+"'") {
			name, engine, _ := strings.Cut(s, " ")
			out[name] = engine
		}
		return out
	}
	for i, c := range nodes {
		got := engines(c)
		for _, want := range [][2]string{{"deals", "Distributed"}, {"deals_local", "ReplicatedReplacingMergeTree"},
			{"stage_changes_local", "ReplicatedReplacingMergeTree"}, {"deal_facts_local", "ReplicatedReplacingMergeTree"},
			{"users", "ReplicatedReplacingMergeTree"}, {"schema_migrations", "ReplicatedMergeTree"}, {olap.WatermarksTable, "ReplicatedReplacingMergeTree"}} {
			if got[want[0]] != want[1] {
				t.Errorf("node %d: %s is %q, want %s", i+1, want[0], got[want[0]], want[1])
			}
		}
		if _, ok := got["users_local"]; ok {
			t.Errorf("node %d: the reference table users has a shard-local part", i+1)
		}
	}
	cols := []string{"id", "title", "pipeline_id", "stage_id", "amount", "currency", "responsible_id", "created_at", "updated_at", "_version", "_deleted"}
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	var rows [][]any
	for id := int64(1); id <= 10; id++ {
		rows = append(rows, []any{id, fmt.Sprintf("Сделка %d", id), int64(1), int64(1), "100.00", "RUB", int64(1), at, at, uint64(1), uint8(0)})
	}
	for range 2 { // the second time: a retried block
		if err := db.Insert(ctx, "deals", cols, rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Insert(ctx, "users", []string{"id", "email", "name", "role", "active", "created_at", "updated_at", "_version", "_deleted"},
		[][]any{{int64(1), "a@example.ru", "Анна", "admin", uint8(1), at, at, uint64(1), uint8(0)}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range nodes {
		for _, table := range []string{"deals_local", "users"} {
			if err := c.Exec(ctx, "SYSTEM SYNC REPLICA "+db.Database+"."+table); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Distributed(…, id) puts id on shard (id mod 2) + 1: odd ids on shard 2.
	want := map[int][]string{1: {"10", "2", "4", "6", "8"}, 2: {"1", "3", "5", "7", "9"}}
	for i, c := range nodes {
		shard := i/devenv.ClusterReplicas + 1
		got := nodeStrings(t, c, "SELECT toString(id) FROM "+db.Database+".deals_local ORDER BY toString(id)")
		if strings.Join(got, " ") != strings.Join(want[shard], " ") {
			t.Errorf("node %d (shard %d) holds deals %v, want %v", i+1, shard, got, want[shard])
		}
		if n := nodeStrings(t, c, "SELECT toString(count()) FROM "+db.Database+".deals"); n[0] != "10" {
			t.Errorf("node %d reads %s deals through the Distributed table, want 10 (a retried block doubled?)", i+1, n[0])
		}
		if n := nodeStrings(t, c, "SELECT name FROM "+db.Database+".users"); strings.Join(n, ",") != "Анна" {
			t.Errorf("node %d holds users %v, want the one inserted (replicated to every node)", i+1, n)
		}
	}
	for _, table := range []string{"deals", "users"} {
		if err := db.AddColumn(ctx, table, "extra", "Nullable(String)"); err != nil {
			t.Fatalf("add column to %s: %v", table, err)
		}
	}
	for i, c := range nodes {
		var got []string
		deadline := time.Now().Add(30 * time.Second)
		for {
			got = nodeStrings(t, c, "SELECT table FROM system.columns WHERE database = '"+db.Database+"' AND name = 'extra' ORDER BY table")
			if len(got) == 3 || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		sort.Strings(got)
		if strings.Join(got, " ") != "deals deals_local users" {
			t.Errorf("node %d: column extra on %v, want deals deals_local users", i+1, got)
		}
	}
	if all, err := db.AllColumns(ctx); err != nil || all["deals_local"] != nil || all["deals"]["extra"] == "" {
		t.Errorf("all columns list the shard-local tables or miss the new column: %v", err)
	}
}

// A cluster the servers do not know, or a node that does not answer, is
// refused at start with the variable's name and what is wrong.
func TestCheckCluster(t *testing.T) {
	ctx := context.Background()
	dev := testenv.DevCluster(t)
	db, err := olap.OpenCluster(ctx, dev.ClusterAddrs(), testenv.DBName(), devenv.ClusterName)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	nodes, err := db.CheckCluster(ctx)
	if err != nil || len(nodes) != devenv.ClusterShards*devenv.ClusterReplicas {
		t.Fatalf("the dev cluster: %v (%v), want its four nodes", nodes, err)
	}
	wrong, err := olap.OpenCluster(ctx, dev.ClusterAddrs(), testenv.DBName(), "nosuch")
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if _, err := wrong.CheckCluster(ctx); err == nil || !strings.Contains(err.Error(), "VORONKA_CH_CLUSTER=nosuch") || !strings.Contains(err.Error(), devenv.ClusterName) {
		t.Errorf("an unknown cluster: %v, want an error naming the variable and the clusters there are", err)
	}
	if _, err := olap.OpenCluster(ctx, dev.ClusterAddrs(), testenv.DBName(), "no-such"); err == nil {
		t.Error("a cluster name that is not an identifier was accepted")
	}
}

// A database made on the cluster opened as a single server's (its
// TRUNCATE would do nothing on a Distributed table) is refused, naming
// the variable, and so is a single server's opened as the cluster's.
func TestCheckLayout(t *testing.T) {
	ctx := context.Background()
	db, _ := clusterCH(t)
	first, _, _ := strings.Cut(testenv.DevCluster(t).ClusterAddrs(), ",")
	single, err := olap.Open(ctx, first, db.Database)
	if err != nil {
		t.Fatal(err)
	}
	defer single.Close()
	if _, err := olap.Migrate(ctx, single); err == nil || !strings.Contains(err.Error(), "VORONKA_CH_CLUSTER") {
		t.Errorf("a cluster's database migrated as a single server's: %v, want an error naming VORONKA_CH_CLUSTER", err)
	}
	if err := db.CheckLayout(ctx); err != nil {
		t.Errorf("the cluster's own database: %v", err)
	}
	plain := testenv.NewCH(t)
	if testenv.OnCluster() {
		return
	}
	asCluster, err := olap.OpenCluster(ctx, plain.Addr, plain.Database, devenv.ClusterName)
	if err != nil {
		t.Fatal(err)
	}
	defer asCluster.Close()
	if err := asCluster.CheckLayout(ctx); err == nil || !strings.Contains(err.Error(), "single server") {
		t.Errorf("a single server's database opened as a cluster's: %v", err)
	}
}
