package ingest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/voronka/voronka/internal/devenv"
	"github.com/voronka/voronka/internal/testenv"
)

// startPrivateCluster is startPrivate with a cluster of its own beside
// the pair (two shards of two replicas and ZooKeeper, free ports), so a
// test can stop its nodes without touching the shared dev cluster the
// other packages' cluster suites use.
func startPrivateCluster(t *testing.T) *devenv.Env {
	t.Helper()
	dev := startPrivate(t)
	base, err := devenv.FreeClusterPort()
	if err != nil {
		t.Fatal(err)
	}
	dev.ClusterPort = base
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := dev.ClusterUp(ctx); err != nil {
		t.Fatalf("private cluster in %s: %v", dev.Dir, err)
	}
	return dev
}

// One replica stopped during a stream and started again (issue 16's
// faults): shard 1's second replica is down while writes continue; the
// stream goes on through the first replicas, `ingest verify` is clean, and
// once started again the replica catches up — it holds exactly shard 1's
// deals as PostgreSQL has them (even ids: Distributed(…, id) puts id on
// shard id mod 2 + 1).
func TestClusterReplicaStopped(t *testing.T) {
	testenv.SingleServer(t, "it makes a private cluster of its own; run once, in the single-server pass")
	ctx := context.Background()
	dev := startPrivateCluster(t)
	e := newPrivateEnvOn(t, dev, "replica", dev.ClusterAddrs(), devenv.ClusterName)
	e.seed(20)
	s, stop := e.start(e.config())
	defer stop()
	e.waitSynced(syncTimeout, "deals")
	// During the stream, not the initial load: the load's rebuild of the
	// derived tables TRUNCATEs them, which 18.16 sends to the shard's
	// leader replica — stopped, that waits until ZooKeeper gives the
	// leadership to the other one (docs/cluster.md).
	waitFor(t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })
	if err := dev.ClusterNodeStop(1); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		e.exec(`UPDATE deals SET amount = amount + 1 WHERE id = $1`, 1+i%20)
		e.exec(`INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_by)
SELECT 'при остановленной реплике ' || $1::text, pipeline_id, stage_id, 1000, 'RUB', responsible_id, created_by FROM deals WHERE id = 1`, strconv.Itoa(i))
	}
	e.waitSynced(syncTimeout, "deals")
	e.verifyClean()
	startCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := dev.ClusterNodeStart(startCtx, 1); err != nil {
		t.Fatal(err)
	}
	addr := strings.Split(dev.ClusterAddrs(), ",")[1]
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Exec(startCtx, "SYSTEM SYNC REPLICA "+e.ch.Database+".deals_local"); err != nil {
		t.Fatalf("sync the restarted replica: %v", err)
	}
	want := e.pgStrings(`SELECT string_agg(id::text || ':' || round(amount * 100)::text, ',' ORDER BY id) FROM deals WHERE id % 2 = 0`)[0]
	var got string
	q := "SELECT arrayStringConcat(groupArray(concat(toString(id), ':', toString(round(toFloat64(amount) * 100)))), ',') FROM (SELECT id, amount FROM " +
		e.ch.Database + ".deals_local FINAL WHERE _deleted = 0 ORDER BY id)"
	if err := conn.QueryRow(startCtx, q).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("the restarted replica of shard 1 holds\n%s\nPostgreSQL's even deals are\n%s", got, want)
	}
	e.verifyClean()
}
