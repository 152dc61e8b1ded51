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

// clusterFault is one fault of issue 16 on the shared private cluster:
// a database and slot of its own, seeded with 20 deals (ids 1–20, ten on
// each shard: Distributed(…, id) puts id on shard id mod 2 + 1).
type clusterFault struct {
	*env
	dev *devenv.Env
}

// The faults of issue 16, each on its own database of one private
// cluster, each ending with `ingest verify` clean: a replica stopped
// during the stream, a whole shard stopped for 30 s while writes go on,
// ingest killed with -9 in the middle of a batch over both shards, and
// ZooKeeper restarted.
func TestClusterFaults(t *testing.T) {
	testenv.SingleServer(t, "it makes a private cluster of its own; run once, in the single-server pass")
	dev := startPrivateCluster(t)
	for _, tc := range []struct {
		name string
		run  func(*testing.T, clusterFault)
	}{
		{"replica_stopped", replicaStopped},
		{"shard_stopped", shardStopped},
		{"killed_mid_batch", killedMidBatch},
		{"zookeeper_restarted", zooKeeperRestarted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newPrivateEnvOn(t, dev, strings.ReplaceAll(tc.name, "_", ""), dev.ClusterAddrs(), devenv.ClusterName)
			e.seed(20)
			tc.run(t, clusterFault{env: e, dev: dev})
		})
		// a fault that left a node down would fail every later one on
		// the distributed DDL's timeout (three minutes each): mend the
		// cluster, or stop here saying why
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		err := dev.ClusterUp(ctx)
		cancel()
		if err != nil {
			t.Fatalf("the cluster is not whole after %s, the faults after it are not run: %v", tc.name, err)
		}
	}
}

// replicaStopped: shard 1's second replica is down while writes continue;
// the stream goes on through the first replicas, `ingest verify` is
// clean, and once started again the replica catches up — it holds exactly
// shard 1's deals as PostgreSQL has them.
func replicaStopped(t *testing.T, f clusterFault) {
	f.streamLoaded()
	f.stopNodes(1)
	for i := 0; i < 30; i++ {
		f.commitOnBothShards(i)
	}
	f.waitSynced(syncTimeout, "deals")
	f.verifyClean()
	f.startNodes(1)
	f.onNode(1, "SYSTEM SYNC REPLICA "+f.ch.Database+".deals_local")
	want := f.pgStrings(`SELECT string_agg(id::text || ':' || round(amount * 100)::text, ',' ORDER BY id) FROM deals WHERE id % 2 = 0`)[0]
	got := f.onNode(1, "SELECT arrayStringConcat(groupArray(concat(toString(id), ':', toString(round(toFloat64(amount) * 100)))), ',') FROM (SELECT id, amount FROM "+
		f.ch.Database+".deals_local FINAL WHERE _deleted = 0 ORDER BY id)")
	if got != want {
		t.Errorf("the restarted replica of shard 1 holds\n%s\nPostgreSQL's even deals are\n%s", got, want)
	}
	f.verifyClean()
}

// shardStopped: both replicas of shard 2 are down for 30 s while a
// change touching both shards is committed every 100 ms. The stream
// waits — it confirms no position past the outage's first change and
// says it is unhealthy — and resumes when the shard is back: nothing
// lost (`ingest verify`), nothing doubled (no row version twice in any
// shard's table, though shard 1 took each retried block again).
func shardStopped(t *testing.T, f clusterFault) {
	s := f.streamLoaded()
	f.stopNodes(2, 3)
	before := f.walLSN()
	commits := 0
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); commits++ {
		f.commitOnBothShards(commits)
		time.Sleep(100 * time.Millisecond)
	}
	f.confirmedAtMost(before, "with shard 2 stopped")
	if st := s.Status(); st.Healthy {
		t.Errorf("ingest says it is healthy with a shard stopped for 30 s: %+v", st)
	}
	t.Logf("%d commits while shard 2 was stopped; ingest said: %s", commits, s.Status().Error)
	f.startNodes(2, 3)
	f.waitSynced(syncTimeout, "deals", "stage_changes")
	f.verifyClean()
	for _, node := range []int{0, 2} {
		for _, table := range []string{"deals_local", "stage_changes_local"} {
			if got := f.onNode(node, "SELECT toString(count()) || ' ' || toString(uniqExact(id, _version)) FROM "+f.ch.Database+"."+table); !sameFields(got) {
				t.Errorf("node %d %s: rows, distinct row versions = %s: a version was written twice", node, table, got)
			}
		}
	}
}

// killedMidBatch: with shard 2 stopped, one transaction renames the
// users (a reference table, on every node: its insert succeeds) and then
// changes every deal and adds a stage change to each (both shards: the
// insert through the Distributed table fails while shard 2 is down).
// Ingest (a child process) has written the batch's first table and waits
// on the second; it is killed with -9 there. Nothing of the batch is
// confirmed; shard 2 comes back, a new ingest replays the transaction
// from the slot, and the copy equals PostgreSQL — the users written
// twice count once.
func killedMidBatch(t *testing.T, f clusterFault) {
	c := f.startChild(5000)
	waitFor(t, syncTimeout, "the initial load done", func() bool {
		done, err := f.chQuery("SELECT toString(max(snapshot_done)) FROM " + f.ch.Database + "." + stateTable + " WHERE slot = '" + f.slot + "'")
		return err == nil && done[0] == "1" // the table is made by the child
	})
	f.stopNodes(2, 3)
	versions := "SELECT toString(max(_version)) FROM " + f.ch.Database + ".deals_local"
	before := f.onNode(0, versions)
	lsn := f.commitBeforeLSN(
		`UPDATE users SET name = name || ' (после сбоя)'`,
		`UPDATE deals SET amount = amount + 7`,
		`INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at) SELECT id, pipeline_id, stage_id, now() FROM deals`)
	waitFor(t, syncTimeout, "the batch's users written", func() bool {
		return f.onNode(0, "SELECT toString(count()) FROM "+f.ch.Database+".users FINAL WHERE name LIKE '%(после сбоя)'") != "0"
	})
	time.Sleep(time.Second) // the deals' insert refused at least once
	c.kill()
	f.confirmedAtMost(lsn, "when ingest was killed mid-batch")
	if after := f.onNode(0, versions); after != before {
		// 18.16 fails a Distributed insert whole when a shard is
		// unreachable; a release that wrote shard 1's part would still
		// be replayed correctly below.
		t.Logf("shard 1 took its part of the deals before the kill (max _version %s → %s)", before, after)
	}
	f.startNodes(2, 3)
	f.startChild(5000)
	f.waitSynced(syncTimeout, "users", "deals", "stage_changes")
	f.verifyClean()
}

// zooKeeperRestarted: ZooKeeper is stopped for 10 s while changes are
// committed; the replicated tables turn read-only, the stream waits
// without confirming, and once ZooKeeper is back the replicas leave
// read-only (/readyz's check) and the stream catches up.
func zooKeeperRestarted(t *testing.T, f clusterFault) {
	f.streamLoaded()
	// with a context of its own: one that has ended makes the start
	// think ZooKeeper is down, start a second one and lose the first's pid
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		f.dev.ZooKeeperStart(ctx)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := f.dev.ZooKeeperStop(); err != nil {
		t.Fatal(err)
	}
	before := f.walLSN()
	for i := 0; i < 20; i++ {
		f.commitOnBothShards(i)
		time.Sleep(500 * time.Millisecond)
	}
	f.confirmedAtMost(before, "with ZooKeeper stopped")
	if err := f.dev.ZooKeeperStart(ctx); err != nil {
		t.Fatal(err)
	}
	f.waitSynced(syncTimeout, "deals", "stage_changes")
	f.verifyClean()
	var err error
	waitFor(t, syncTimeout, "replicas writable again", func() bool { err = f.ch.DB.CheckReplicas(ctx); return err == nil })
}

// streamLoaded runs an in-process stream and returns once the initial
// load (with its derived-table rebuild) is done: that rebuild TRUNCATEs,
// which 18.16 sends to a shard's leader replica — stopped, it waits until
// ZooKeeper hands the leadership on (docs/cluster.md) — so the faults
// come during the stream.
func (f clusterFault) streamLoaded() *Streamer {
	s, _ := f.start(f.config())
	f.waitSynced(syncTimeout, "deals")
	waitFor(f.t, syncTimeout, "the initial load done", func() bool { return s.Status().SnapshotDone })
	return s
}

// commitOnBothShards commits a change of deal 1 + i%20 (the two shards by
// turn) and a new deal with a stage change.
func (f clusterFault) commitOnBothShards(i int) {
	f.exec(`UPDATE deals SET amount = amount + 1 WHERE id = $1`, 1+i%20)
	f.exec(`WITH d AS (INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, created_by)
SELECT 'при сбое кластера ' || $1::text, pipeline_id, stage_id, 1000, 'RUB', responsible_id, created_by FROM deals WHERE id = 1
RETURNING id, pipeline_id, stage_id)
INSERT INTO stage_changes (deal_id, pipeline_id, to_stage_id, changed_at) SELECT id, pipeline_id, stage_id, now() FROM d`, strconv.Itoa(i))
}

// commitBeforeLSN runs stmts in one transaction and returns the WAL
// position just before its commit: the slot may confirm up to there (a
// keepalive while the transaction was being written) but not past it.
func (f clusterFault) commitBeforeLSN(stmts ...string) string {
	f.t.Helper()
	ctx := context.Background()
	tx, err := f.pg.Pool.Begin(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
	}
	var lsn string
	if err := tx.QueryRow(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		f.t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		f.t.Fatal(err)
	}
	return lsn
}

func (f clusterFault) walLSN() string { return f.pgStrings(`SELECT pg_current_wal_lsn()::text`)[0] }

// confirmedAtMost fails the test unless the slot's confirmed position is
// at most lsn: nothing after it may be confirmed while it is not written.
func (f clusterFault) confirmedAtMost(lsn, when string) {
	f.t.Helper()
	got := f.pgStrings(`SELECT confirmed_flush_lsn::text || ' ' || (confirmed_flush_lsn <= '` + lsn + `'::pg_lsn)::text FROM pg_replication_slots WHERE slot_name = '` + f.slot + `'`)
	if len(got) != 1 || !strings.HasSuffix(got[0], " true") {
		f.t.Fatalf("%s the slot confirmed %v, past %s, the first change ClickHouse could not take", when, got, lsn)
	}
}

// stopNodes stops nodes; they are started again when the subtest ends
// however it ends, so the next fault finds the whole cluster.
func (f clusterFault) stopNodes(nodes ...int) {
	f.t.Helper()
	f.t.Cleanup(func() { f.startNodes(nodes...) })
	for _, k := range nodes {
		if err := f.dev.ClusterNodeStop(k); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f clusterFault) startNodes(nodes ...int) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, k := range nodes {
		if err := f.dev.ClusterNodeStart(ctx, k); err != nil {
			f.t.Fatal(err)
		}
	}
}

// onNode runs q on node k alone (not through the Distributed tables) and
// returns its one string, or "" for a statement.
func (f clusterFault) onNode(k int, q string) string {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{strings.Split(f.dev.ClusterAddrs(), ",")[k]}, DialTimeout: 5 * time.Second})
	if err != nil {
		f.t.Fatal(err)
	}
	defer conn.Close()
	if !strings.HasPrefix(q, "SELECT") {
		if err := conn.Exec(ctx, q); err != nil {
			f.t.Fatalf("node %d: %s: %v", k, q, err)
		}
		return ""
	}
	var out string
	if err := conn.QueryRow(ctx, q).Scan(&out); err != nil {
		f.t.Fatalf("node %d: %s: %v", k, q, err)
	}
	return out
}

// sameFields reports whether the space-separated fields of s are equal.
func sameFields(s string) bool {
	f := strings.Fields(s)
	return len(f) == 2 && f[0] == f[1]
}
