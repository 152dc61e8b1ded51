package olap_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/voronka/voronka/internal/devenv"
	"github.com/voronka/voronka/internal/testenv"
)

// The local cluster of `voronka dev up --cluster` (issue 16's ground):
// two shards of two replicas that take distributed DDL, replicate a
// shard's rows to its other replica, and answer a Distributed table's
// FINAL over both shards — rows placed on their shards by hand (ids 1
// and 3 on shard 1, 2 on shard 2; id 3 written twice, the second time
// with a higher version), read from a node of the other shard.
func TestDevCluster(t *testing.T) {
	ctx := context.Background()
	dev := testenv.Dev(t)
	if err := dev.ClusterUp(ctx); err != nil {
		t.Fatalf("dev cluster: %v", err)
	}
	nodes := strings.Split(dev.ClusterAddrs(), ",")
	if len(nodes) != devenv.ClusterShards*devenv.ClusterReplicas {
		t.Fatalf("cluster nodes %v", nodes)
	}
	conn := func(addr string) clickhouse.Conn {
		c, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	exec := func(c clickhouse.Conn, q string) {
		t.Helper()
		if err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s1r1, s1r2, s2r1, s2r2 := conn(nodes[0]), conn(nodes[1]), conn(nodes[2]), conn(nodes[3])
	db := fmt.Sprintf("t_cluster_%d", time.Now().UnixNano())
	on := " ON CLUSTER " + devenv.ClusterName
	exec(s1r1, "CREATE DATABASE "+db+on)
	t.Cleanup(func() { s1r1.Exec(context.Background(), "DROP DATABASE IF EXISTS "+db+on) })
	exec(s1r1, "CREATE TABLE "+db+".t_local"+on+" (id Int64, v String, _version UInt64) "+
		"ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/"+db+"/t_local', '{replica}', _version) ORDER BY id")
	exec(s1r1, "CREATE TABLE "+db+".t"+on+" AS "+db+".t_local ENGINE = Distributed("+devenv.ClusterName+", "+db+", t_local, id)")
	// INSERT … SELECT: the driver's Exec sends no data blocks
	exec(s1r1, "INSERT INTO "+db+".t_local (id, v, _version) SELECT 1, 'один', 1 UNION ALL SELECT 3, 'три', 1")
	exec(s1r1, "INSERT INTO "+db+".t_local (id, v, _version) SELECT 3, 'три снова', 2")
	exec(s2r1, "INSERT INTO "+db+".t_local (id, v, _version) SELECT 2, 'два', 1")
	exec(s1r2, "SYSTEM SYNC REPLICA "+db+".t_local")
	exec(s2r2, "SYSTEM SYNC REPLICA "+db+".t_local")
	texts := func(c clickhouse.Conn, q string) string { return strings.Join(nodeStrings(t, c, q), ", ") }
	if got := texts(s1r2, "SELECT concat(toString(id), ' ', v) FROM "+db+".t_local FINAL ORDER BY id"); got != "1 один, 3 три снова" {
		t.Errorf("shard 1's second replica holds %q, want its shard's rows replicated", got)
	}
	if got := texts(s2r2, "SELECT concat(toString(id), ' ', v) FROM "+db+".t FINAL ORDER BY id"); got != "1 один, 2 два, 3 три снова" {
		t.Errorf("the Distributed table from shard 2 answers %q, want both shards' rows, the newer version of 3", got)
	}
}
