package devenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The local cluster of `voronka dev up --cluster`: ClusterShards shards
// of ClusterReplicas replicas each, every node a ClickHouse server of its
// own under Dir/cluster/s<shard>r<replica>, and the ZooKeeper they
// coordinate through (Debian's zookeeper package: ClickHouse 18.16 has no
// Keeper) under Dir/cluster/zk. Ports from VORONKA_DEV_CLUSTER_PORT
// (default DefaultClusterPort = B): node k (1…4, shard by shard) listens
// on B+k (native), B+10+k (HTTP) and B+20+k (replication); ZooKeeper on
// B+99. Nothing here changes the single server of `voronka dev up`.
const (
	ClusterName        = "voronka"
	ClusterShards      = 2
	ClusterReplicas    = 2
	DefaultClusterPort = 19200
)

func (e *Env) clusterDir() string { return filepath.Join(e.Dir, "cluster") }
func (e *Env) zkDir() string      { return filepath.Join(e.clusterDir(), "zk") }
func (e *Env) zkPort() int        { return e.ClusterPort + 99 }

// clusterNodes are the cluster's servers, shard by shard.
func (e *Env) clusterNodes() []chNode {
	var remote strings.Builder
	remote.WriteString("<remote_servers><" + ClusterName + ">")
	for s := 1; s <= ClusterShards; s++ {
		remote.WriteString("<shard><internal_replication>true</internal_replication>")
		for r := 1; r <= ClusterReplicas; r++ {
			fmt.Fprintf(&remote, "<replica><host>127.0.0.1</host><port>%d</port></replica>", e.ClusterPort+(s-1)*ClusterReplicas+r)
		}
		remote.WriteString("</shard>")
	}
	remote.WriteString("</" + ClusterName + "></remote_servers>")
	var nodes []chNode
	for s := 1; s <= ClusterShards; s++ {
		for r := 1; r <= ClusterReplicas; r++ {
			k := (s-1)*ClusterReplicas + r
			extra := remote.String() + fmt.Sprintf(`
    <zookeeper><node><host>127.0.0.1</host><port>%d</port></node><session_timeout_ms>30000</session_timeout_ms></zookeeper>
    <macros><cluster>%s</cluster><shard>%d</shard><replica>s%dr%d</replica></macros>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <interserver_http_port>%d</interserver_http_port>
    <distributed_ddl><path>/clickhouse/%s/task_queue/ddl</path></distributed_ddl>
`, e.zkPort(), ClusterName, s, s, r, e.ClusterPort+20+k, ClusterName)
			nodes = append(nodes, chNode{name: fmt.Sprintf("ClickHouse shard %d replica %d", s, r),
				dir: filepath.Join(e.clusterDir(), fmt.Sprintf("s%dr%d", s, r)), tcp: e.ClusterPort + k, http: e.ClusterPort + 10 + k, extra: extra,
				profile: olapClusterProfile})
		}
	}
	return nodes
}

// ClusterAddrs are the native-protocol addresses of the cluster's nodes,
// comma-separated (VORONKA_CH_ADDR for a cluster).
func (e *Env) ClusterAddrs() string {
	var addrs []string
	for _, n := range e.clusterNodes() {
		addrs = append(addrs, n.addr())
	}
	return strings.Join(addrs, ",")
}

// ClusterUp installs ZooKeeper when it is missing, starts it and every
// node unless they answer, and waits until each node lists the whole
// cluster in system.clusters and reaches ZooKeeper. The single servers
// are not touched (Up starts them).
func (e *Env) ClusterUp(ctx context.Context) error {
	unlock, err := e.prepare(e.clusterDir())
	if err != nil {
		return err
	}
	defer unlock()
	if err := e.ensureZooKeeper(ctx); err != nil {
		return err
	}
	if err := e.zkUp(ctx); err != nil {
		return fmt.Errorf("zookeeper: %w", err)
	}
	for _, n := range e.clusterNodes() {
		if err := n.up(ctx, e); err != nil {
			return fmt.Errorf("%s: %w", n.name, err)
		}
	}
	for _, n := range e.clusterNodes() {
		if err := waitFor(ctx, startTimeout, n.clusterReady); err != nil {
			return fmt.Errorf("%s: %w", n.name, err)
		}
	}
	return nil
}

// clusterReady checks that the node sees every node of the cluster and
// reaches ZooKeeper.
func (n chNode) clusterReady(ctx context.Context) error {
	conn, err := n.open()
	if err != nil {
		return err
	}
	defer conn.Close()
	var nodes uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.clusters WHERE cluster = ?", ClusterName).Scan(&nodes); err != nil {
		return err
	}
	if nodes != ClusterShards*ClusterReplicas {
		return fmt.Errorf("system.clusters lists %d nodes of %s, want %d", nodes, ClusterName, ClusterShards*ClusterReplicas)
	}
	var children uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.zookeeper WHERE path = '/'").Scan(&children); err != nil {
		return fmt.Errorf("zookeeper from ClickHouse: %w", err)
	}
	return nil
}

// ClusterDown stops every node and ZooKeeper; data stays.
func (e *Env) ClusterDown(ctx context.Context) error {
	var errs []error
	for _, n := range e.clusterNodes() {
		errs = append(errs, stopDaemon(n.pidFile()))
	}
	return errors.Join(append(errs, e.ZooKeeperStop())...)
}

// ClusterStatus is a line per node and one for ZooKeeper; nil when no
// cluster was ever started here.
func (e *Env) ClusterStatus(ctx context.Context) []ServerStatus {
	if _, err := os.Stat(e.clusterDir()); err != nil {
		return nil
	}
	out := []ServerStatus{{Name: "zookeeper", Address: e.zkAddr(), Detail: e.zkDir(), Running: e.zkPing(ctx) == nil}}
	for _, n := range e.clusterNodes() {
		out = append(out, n.status(ctx, "ch "+filepath.Base(n.dir)))
	}
	return out
}

func (e *Env) zkAddr() string { return "127.0.0.1:" + strconv.Itoa(e.zkPort()) }

// zkConfig is a standalone ZooKeeper with everything under its directory.
const zkConfig = `tickTime=2000
initLimit=10
syncLimit=5
dataDir={{dir}}/data
clientPort={{port}}
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
`

func (e *Env) zkUp(ctx context.Context) error {
	if e.zkPing(ctx) == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(e.zkDir(), "data"), 0o755); err != nil {
		return err
	}
	cfg := filepath.Join(e.zkDir(), "zoo.cfg")
	body := strings.NewReplacer("{{dir}}", e.zkDir(), "{{port}}", strconv.Itoa(e.zkPort())).Replace(zkConfig)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.Log, "starting ZooKeeper on %s (data %s)\n", e.zkAddr(), e.zkDir())
	return e.startDaemon(ctx, e.zkDir(), filepath.Join(e.zkDir(), "zookeeper.pid"), []string{zkServer, "start-foreground", cfg},
		startTimeout, e.zkPing, "ZOO_LOG_DIR="+filepath.Join(e.zkDir(), "log"), "JVMFLAGS=-Xmx256m")
}

// zkServer is the Debian package's start script.
const zkServer = "/usr/share/zookeeper/bin/zkServer.sh"

// zkPing asks ZooKeeper "ruok"; it answers "imok" when serving.
func (e *Env) zkPing(ctx context.Context) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.zkAddr())
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("ruok")); err != nil {
		return err
	}
	buf := make([]byte, 4)
	if _, err := conn.Read(buf); err != nil || string(buf) != "imok" {
		return fmt.Errorf("zookeeper answers %q (%v), want imok", buf, err)
	}
	return nil
}

// ensureZooKeeper installs Debian's zookeeper package when its start
// script is missing (root only, as for the servers).
func (e *Env) ensureZooKeeper(ctx context.Context) error {
	if _, err := os.Stat(zkServer); err == nil {
		return nil
	}
	return e.aptInstall(ctx, "zookeeper")
}

// ClusterEnvLines are `voronka dev env --cluster`: the PostgreSQL, the
// cluster's nodes and its name.
func (e *Env) ClusterEnvLines() []string {
	return []string{
		"export VORONKA_PG_URL='" + e.PGURL("voronka") + "'",
		"export VORONKA_CH_ADDR='" + e.ClusterAddrs() + "'",
		"export VORONKA_CH_CLUSTER='" + ClusterName + "'",
	}
}

// olapClusterProfile is what Voronka asks of a cluster's default profile
// (olap.ClusterProfile; docs/cluster.md): 18.16 takes string settings
// from the profile only, not from a native-protocol client.
const olapClusterProfile = `
            <distributed_product_mode>global</distributed_product_mode>
            <load_balancing>in_order</load_balancing>
            <insert_distributed_sync>1</insert_distributed_sync>`

// ClusterNodeStop stops node k of the cluster (0 … 3, shard by shard:
// 1 is shard 1's second replica) and returns once it has gone; its data
// stays.
func (e *Env) ClusterNodeStop(k int) error { return stopDaemon(e.clusterNodes()[k].pidFile()) }

// ClusterNodeStart starts node k again and waits until it is part of the
// cluster.
func (e *Env) ClusterNodeStart(ctx context.Context, k int) error {
	n := e.clusterNodes()[k]
	if err := n.up(ctx, e); err != nil {
		return fmt.Errorf("%s: %w", n.name, err)
	}
	return waitFor(ctx, startTimeout, n.clusterReady)
}

// ZooKeeperStop stops the cluster's ZooKeeper (its data stays): the
// nodes' replicated tables turn read-only until it is back.
func (e *Env) ZooKeeperStop() error { return stopDaemon(filepath.Join(e.zkDir(), "zookeeper.pid")) }

// ZooKeeperStart starts the cluster's ZooKeeper again and waits until
// every node reaches it.
func (e *Env) ZooKeeperStart(ctx context.Context) error {
	if err := ctx.Err(); err != nil { // zkUp would take it for a ZooKeeper that does not answer
		return err
	}
	if err := e.zkUp(ctx); err != nil {
		return err
	}
	for _, n := range e.clusterNodes() {
		if err := waitFor(ctx, startTimeout, n.clusterReady); err != nil {
			return fmt.Errorf("%s after ZooKeeper's restart: %w", n.name, err)
		}
	}
	return nil
}
