package olap

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// On a ClickHouse cluster (VORONKA_CH_CLUSTER, docs/cluster.md) the copy
// is the same tables under the same names, and every statement that reads
// or writes them is the same text; only the DDL differs, and DDL reaches
// the server through DB.DDL alone, which writes it for the cluster:
//
//   - a reference table (ReferenceTables: small, joined by every report,
//     ingest's own state) is one Replicated table on every node, all of
//     them replicas of each other, so any node reads it whole and locally;
//   - every other table is sharded by the first column of its sorting key
//     (deals by id, a deal's stage changes, path and facts by deal id): a
//     Replicated <t>_local table per shard, replicated between the
//     shard's replicas, behind a Distributed table <t> over the cluster.
//     Every version of a row has the same sorting key, so it lands on one
//     shard and FINAL stays correct shard-locally.
//
// The connection's settings make reads and writes whole: inserts into a
// Distributed table return only when every shard wrote its part
// (insert_distributed_sync), a subquery over a Distributed table is
// computed once over the whole cluster (distributed_product_mode =
// 'global', so a join of tables sharded by different keys is still
// right), and each shard is read and written at its first live replica
// (load_balancing = 'in_order'), so ingest reads what it wrote.
// Replicated tables deduplicate a block inserted again (a retry after a
// timeout or a crash) by its checksum.

// ReferenceTables are replicated whole to every node of a cluster.
var ReferenceTables = map[string]bool{
	"users": true, "currencies": true, "currency_rates": true, "sources": true, "pipelines": true,
	"stages": true, "stage_transitions": true, "products": true, "plans": true, "contracts": true, "holidays": true, WatermarksTable: true,
	"schema_migrations": true, "ingest_state": true, "ingest_rebuilds": true,
}

// localSuffix names a sharded table's shard-local part.
const localSuffix = "_local"

// ClusterProfile is the settings cluster mode needs in effect (above).
// A client speaking to 18.16 can send integer settings only, so the
// servers' default profile sets them (docs/cluster.md; `voronka dev up
// --cluster` does); CheckCluster refuses a cluster where they are not
// in effect. The connection sends the integer one as well.
var ClusterProfile = map[string]string{
	"insert_distributed_sync":  "1",
	"distributed_product_mode": "global",
	"load_balancing":           "in_order",
}

// clusterSettings are the settings the connection sends in cluster mode.
var clusterSettings = clickhouse.Settings{"insert_distributed_sync": 1}

// Cluster is the name of the cluster the copy lives on ("" on a single
// server).
func (db *DB) Cluster() string { return db.cluster }

// sharded reports whether table is sharded on db's cluster (false on a
// single server).
func (db *DB) sharded(table string) bool { return db.cluster != "" && !ReferenceTables[table] }

// DDL runs a schema statement: as written on a single server, written
// for the cluster on one (see above). It accepts CREATE TABLE IF NOT
// EXISTS, ALTER TABLE, TRUNCATE TABLE and CREATE/DROP DATABASE, the table
// named with or without db's database; each statement written takes q's
// arguments.
func (db *DB) DDL(ctx context.Context, q Fragment) error {
	text, args, err := q.ToSql()
	if err != nil {
		return err
	}
	stmts, err := db.clusterDDL(text)
	if err != nil {
		return err
	}
	var nodes []ClusterNode // listed once, by the first statement that runs beyond the connection
	for _, s := range stmts {
		if s.where != onConnection && nodes == nil {
			if nodes, err = db.clusterNodes(ctx); err != nil {
				return err
			}
		}
		if err := db.runDDL(ctx, s, args, nodes); err != nil {
			return err
		}
	}
	return nil
}

// Where a statement clusterDDL writes runs.
const (
	onConnection = iota // the connected node (ON CLUSTER, or a reference table's replication does the rest)
	onEachShard         // the first answering replica of each shard (replication does the rest)
	onEachNode          // every node in turn (an unreplicated table: the Distributed ones)
)

// ddlStatement is one statement clusterDDL writes and where it runs. An
// ALTER of a column is skipped on a node where it is done already, so
// that one interrupted half-way is completed by running it again.
type ddlStatement struct {
	text     string
	where    int
	table    string // the table an ALTER … COLUMN changes (unqualified)
	column   *columnChange
	settings clickhouse.Settings // the statement's own (integer) settings
}

// columnChange is what an ALTER TABLE … ADD/DROP/MODIFY COLUMN does.
type columnChange struct{ op, name, typ string }

var columnChangeRE = regexp.MustCompile(`(?is)^(ADD|DROP|MODIFY) COLUMN\s+(\w+)\s*(.*)$`)

// parseColumnChange reads an ALTER's clause (nil: not a column change).
func parseColumnChange(clause string) *columnChange {
	m := columnChangeRE.FindStringSubmatch(strings.TrimSpace(clause))
	if m == nil {
		return nil
	}
	typ := strings.TrimSpace(m[3])
	if i := strings.Index(strings.ToUpper(typ), " DEFAULT"); i >= 0 {
		typ = strings.TrimSpace(typ[:i])
	}
	return &columnChange{op: strings.ToUpper(m[1]), name: m[2], typ: typ}
}

// done reports whether the change is already made on a node.
func (cc *columnChange) done(ctx context.Context, conn driver.Conn, database, table string) (bool, error) {
	rows, err := conn.Query(ctx, "SELECT type FROM system.columns WHERE database = ? AND table = ? AND name = ?", database, table, cc.name)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var typ string
	exists := rows.Next()
	if exists {
		if err := rows.Scan(&typ); err != nil {
			return false, err
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	switch cc.op {
	case "ADD":
		return exists, nil
	case "DROP":
		return !exists, nil
	}
	return exists && typ == cc.typ, nil
}

// runDDL runs one statement where it belongs: on the connection, or on
// the cluster's nodes.
func (db *DB) runDDL(ctx context.Context, s ddlStatement, args []any, nodes []ClusterNode) error {
	targets := []ClusterNode{{}} // Addr "": the connected node
	if s.where != onConnection {
		targets = nodes
	}
	took := map[int]bool{} // shards done
	var errs []string
	for _, n := range targets {
		if s.where == onEachShard && took[n.Shard] {
			continue
		}
		err := db.onNode(ctx, n.Addr, func(conn driver.Conn) error {
			if s.column != nil {
				if done, err := s.column.done(ctx, conn, db.Database, s.table); done || err != nil {
					return err
				}
			}
			if s.settings != nil {
				ctx = clickhouse.Context(ctx, clickhouse.WithSettings(s.settings))
			}
			return conn.Exec(ctx, s.text, args...)
		})
		switch {
		case err == nil:
			took[n.Shard] = true
		case s.where == onEachShard: // the shard's next replica may answer
			errs = append(errs, fmt.Sprintf("shard %d replica %d at %s: %v", n.Shard, n.Replica, n.Addr, err))
		case n.Addr == "":
			return err
		default:
			return fmt.Errorf("shard %d replica %d at %s: %w", n.Shard, n.Replica, n.Addr, err)
		}
	}
	for _, n := range targets {
		if s.where == onEachShard && !took[n.Shard] {
			return fmt.Errorf("%.80s: no replica of shard %d took it: %s", s.text, n.Shard, strings.Join(errs, "; "))
		}
	}
	return nil
}

// onNode calls f with a connection to the node at addr ("": db's own).
func (db *DB) onNode(ctx context.Context, addr string, f func(driver.Conn) error) error {
	if addr == "" {
		return f(db.conn)
	}
	conn, err := dial(addr, "", nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	return f(conn)
}

var (
	createRE   = regexp.MustCompile(`(?is)^\s*CREATE TABLE IF NOT EXISTS\s+(?:(\w+)\.)?(\w+)\s*\((.*)\)\s*ENGINE\s*=\s*(\w+)(?:\(([^)]*)\))?\s*(ORDER BY\s*(.*?))\s*;?\s*$`)
	alterRE    = regexp.MustCompile(`(?is)^\s*ALTER TABLE\s+(?:(\w+)\.)?(\w+)\s+(.*?)\s*;?\s*$`)
	truncateRE = regexp.MustCompile(`(?is)^\s*TRUNCATE TABLE\s+(?:(\w+)\.)?(\w+)\s*;?\s*$`)
	databaseRE = regexp.MustCompile(`(?is)^\s*(CREATE DATABASE IF NOT EXISTS|DROP DATABASE IF EXISTS)\s+(\w+)\s*;?\s*$`)
	mutationRE = regexp.MustCompile(`(?i)^(DELETE|UPDATE)\b`)
	// whole-line comments (the migrations have no comment after code)
	commentLineRE = regexp.MustCompile(`(?m)^\s*--.*$`)
)

// clusterDDL is stmt as it runs on db: itself on a single server, the
// statements that do it on the cluster otherwise.
func (db *DB) clusterDDL(stmt string) ([]ddlStatement, error) {
	if db.cluster == "" {
		return []ddlStatement{{text: stmt}}, nil
	}
	stmt = commentLineRE.ReplaceAllString(stmt, "")
	on := " ON CLUSTER " + db.cluster
	qualified := func(database, table string) (string, string, error) {
		if database != "" && database != db.Database {
			return "", "", fmt.Errorf("clickhouse DDL names database %s, not %s", database, db.Database)
		}
		if !validIdent(table) {
			return "", "", fmt.Errorf("clickhouse table %q: want letters, digits and _", table)
		}
		return db.Database + "." + table, db.Database + "." + table + localSuffix, nil
	}
	if m := databaseRE.FindStringSubmatch(stmt); m != nil {
		return []ddlStatement{{text: m[1] + " " + m[2] + on}}, nil
	}
	if m := createRE.FindStringSubmatch(stmt); m != nil {
		name, local, err := qualified(m[1], m[2])
		if err != nil {
			return nil, err
		}
		cols, engine, args, order, key := m[3], m[4], strings.TrimSpace(m[5]), m[6], sortKeyHead(m[7])
		if strings.HasPrefix(engine, "Replicated") || engine == "Distributed" {
			return nil, fmt.Errorf("clickhouse DDL for %s: write the single-server engine, not %s", m[2], engine)
		}
		replicated := func(table, path string) string {
			a := "'" + path + "', '{replica}'"
			if args != "" {
				a += ", " + args
			}
			return "CREATE TABLE IF NOT EXISTS " + table + on + " (" + cols + ") ENGINE = Replicated" + engine + "(" + a + ") " + order
		}
		if !db.sharded(m[2]) {
			return []ddlStatement{{text: replicated(name, "/clickhouse/tables/all/"+db.Database+"/"+m[2])}}, nil
		}
		return []ddlStatement{
			{text: replicated(local, "/clickhouse/tables/{shard}/"+db.Database+"/"+m[2])},
			{text: "CREATE TABLE IF NOT EXISTS " + name + on + " AS " + local +
				" ENGINE = Distributed(" + db.cluster + ", " + db.Database + ", " + m[2] + localSuffix + ", " + key + ")"},
		}, nil
	}
	if m := alterRE.FindStringSubmatch(stmt); m != nil {
		name, local, err := qualified(m[1], m[2])
		if err != nil {
			return nil, err
		}
		// Not ON CLUSTER: 18.16's DDL worker, asked to ALTER a replicated
		// table on every shard, wedged its queue in our tests (a host left
		// unfinished, every later task waiting on it). One replica's ALTER
		// reaches the others through the replication log.
		cc := parseColumnChange(m[3])
		switch {
		case !db.sharded(m[2]):
			return []ddlStatement{{text: "ALTER TABLE " + name + " " + m[3], table: m[2], column: cc}}, nil
		case mutationRE.MatchString(m[3]): // rows live in the shards' tables
			return []ddlStatement{{text: "ALTER TABLE " + local + " " + m[3], where: onEachShard}}, nil
		}
		return []ddlStatement{
			{text: "ALTER TABLE " + local + " " + m[3], where: onEachShard, table: m[2] + localSuffix, column: cc},
			{text: "ALTER TABLE " + name + " " + m[3], where: onEachNode, table: m[2], column: cc},
		}, nil
	}
	if m := truncateRE.FindStringSubmatch(stmt); m != nil {
		name, local, err := qualified(m[1], m[2])
		if err != nil {
			return nil, err
		}
		if !db.sharded(m[2]) {
			return []ddlStatement{emptyReplicated(name, onConnection)}, nil
		}
		return []ddlStatement{emptyReplicated(local, onEachShard)}, nil
	}
	return nil, fmt.Errorf("clickhouse DDL on a cluster: not a statement Voronka writes for one: %.60s", stmt)
}

// emptyReplicated empties a replicated table: not by TRUNCATE, which
// 18.16 runs on the shard's leader holding the table's alter lock while
// it waits for every replica to drop the parts — and a replica fetching
// a part from the leader at that moment waits for the same lock: both
// wait forever (seen in the cluster suite after a rebuild's inserts, the
// DDL queue wedged behind it). Dropping the one partition ('all': no
// Voronka table is partitioned) waits without holding that lock; with
// replication_alter_partitions_sync = 2 it still returns only when every
// replica dropped the parts, as TRUNCATE did.
func emptyReplicated(table string, where int) ddlStatement {
	return ddlStatement{text: "ALTER TABLE " + table + " DROP PARTITION ID 'all'", where: where,
		settings: clickhouse.Settings{"replication_alter_partitions_sync": 2}}
}

// sortKeyHead is the first column of an ORDER BY key, "id" of "id" and
// "deal_id" of "(deal_id, changed_at, id)".
func sortKeyHead(key string) string {
	key = strings.Trim(strings.TrimSpace(key), "()")
	head, _, _ := strings.Cut(key, ",")
	return strings.TrimSpace(head)
}

// ClusterNode is one server of a cluster as system.clusters lists it.
type ClusterNode struct {
	Shard, Replica int
	Addr           string // host:port, native protocol
}

// CheckCluster checks that the server db is connected to knows db's
// cluster and that every node of it answers, with an error naming what
// is wrong (the cluster's name, the nodes that do not answer); it returns
// the nodes.
func (db *DB) CheckCluster(ctx context.Context) ([]ClusterNode, error) {
	if db.cluster == "" {
		return nil, nil
	}
	nodes, err := db.clusterNodes(ctx)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		var known []string
		_ = db.Each(ctx, "clickhouse clusters", SQL("SELECT DISTINCT cluster FROM system.clusters"), func(scan func(...any) error) error {
			var c string
			err := scan(&c)
			known = append(known, c)
			return err
		})
		sort.Strings(known)
		return nil, fmt.Errorf("VORONKA_CH_CLUSTER=%s: the ClickHouse server at %s has no such cluster in its configuration (remote_servers; it has: %s)",
			db.cluster, db.addr, strings.Join(known, ", "))
	}
	if err := db.checkProfile(ctx); err != nil {
		return nodes, err
	}
	var down []string
	for _, n := range nodes {
		if err := db.onNode(ctx, n.Addr, func(conn driver.Conn) error { return ping(ctx, conn) }); err != nil {
			down = append(down, fmt.Sprintf("shard %d replica %d at %s: %v", n.Shard, n.Replica, n.Addr, err))
		}
	}
	if len(down) > 0 {
		return nodes, fmt.Errorf("VORONKA_CH_CLUSTER=%s: %d of %d nodes do not answer: %s", db.cluster, len(down), len(nodes), strings.Join(down, "; "))
	}
	return nodes, nil
}

// clusterNodes lists the nodes of db's cluster as the server it is
// connected to knows them (none: it does not know the cluster).
func (db *DB) clusterNodes(ctx context.Context) ([]ClusterNode, error) {
	var nodes []ClusterNode
	q := SQL("SELECT toUInt32(shard_num), toUInt32(replica_num), host_address, toUInt32(port) FROM system.clusters WHERE cluster = ? ORDER BY shard_num, replica_num", db.cluster)
	err := db.Each(ctx, "clickhouse clusters", q, func(scan func(...any) error) error {
		var shard, replica, port uint32
		var host string
		if err := scan(&shard, &replica, &host, &port); err != nil {
			return err
		}
		nodes = append(nodes, ClusterNode{Shard: int(shard), Replica: int(replica), Addr: fmt.Sprintf("%s:%d", host, port)})
		return nil
	})
	return nodes, err
}

// checkProfile checks that ClusterProfile is in effect.
func (db *DB) checkProfile(ctx context.Context) error {
	var names []string
	for n := range ClusterProfile {
		names = append(names, n)
	}
	sort.Strings(names)
	var wrong []string
	err := db.Each(ctx, "clickhouse settings", SQL("SELECT name, value FROM system.settings WHERE has(?, name) ORDER BY name", names), func(scan func(...any) error) error {
		var name, value string
		if err := scan(&name, &value); err != nil {
			return err
		}
		if value != ClusterProfile[name] {
			wrong = append(wrong, fmt.Sprintf("%s is %s, want %s", name, value, ClusterProfile[name]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(wrong) > 0 {
		return fmt.Errorf("VORONKA_CH_CLUSTER=%s: the servers' default profile must set %s (docs/cluster.md): %s",
			db.cluster, strings.Join(names, ", "), strings.Join(wrong, "; "))
	}
	return nil
}

// CheckReplicas checks that every replicated table of db's database on the
// server it is connected to can take writes (a replica loses its
// coordination service session read-only): the names of those that
// cannot, and why, otherwise.
func (db *DB) CheckReplicas(ctx context.Context) error {
	if db.cluster == "" {
		return nil
	}
	var bad []string
	q := SQL("SELECT table, toUInt8(is_readonly), toUInt8(is_session_expired) FROM system.replicas WHERE database = ? ORDER BY table", db.Database)
	err := db.Each(ctx, "clickhouse replicas", q, func(scan func(...any) error) error {
		var table string
		var readonly, expired uint8
		if err := scan(&table, &readonly, &expired); err != nil {
			return err
		}
		if readonly != 0 || expired != 0 {
			bad = append(bad, table)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return fmt.Errorf("VORONKA_CH_CLUSTER=%s: replicas read-only (no coordination service session?): %s", db.cluster, strings.Join(bad, ", "))
	}
	return nil
}

// ping pings a node, waiting 5 s at most.
func ping(ctx context.Context, conn driver.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return conn.Ping(ctx)
}

// settings are the connection settings of db's mode.
func (db *DB) settings() clickhouse.Settings {
	if db.cluster == "" {
		return nil
	}
	return clusterSettings
}

// CheckLayout refuses a database made for the other mode: one made on a
// cluster (its deals a Distributed table) opened without
// VORONKA_CH_CLUSTER, where a TRUNCATE of a Distributed table does
// nothing and an ALTER misses the shards, or one made for a single
// server opened as a cluster's.
func (db *DB) CheckLayout(ctx context.Context) error {
	var engine string
	err := db.Each(ctx, "clickhouse tables", SQL("SELECT engine FROM system.tables WHERE database = ? AND name = 'deals'", db.Database), func(scan func(...any) error) error {
		return scan(&engine)
	})
	switch {
	case err != nil || engine == "":
		return err
	case db.cluster == "" && engine == "Distributed":
		return fmt.Errorf("VORONKA_CH_CLUSTER: the ClickHouse database %s was made on a cluster (its tables are Distributed); set VORONKA_CH_CLUSTER to that cluster's name", db.Database)
	case db.cluster != "" && engine != "Distributed":
		return fmt.Errorf("VORONKA_CH_CLUSTER=%s: the ClickHouse database %s was made on a single server (deals is %s, not Distributed); use another database for the cluster (VORONKA_CH_DATABASE)", db.cluster, db.Database, engine)
	}
	return nil
}
