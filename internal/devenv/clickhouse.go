package devenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

func (e *Env) chDir() string { return filepath.Join(e.Dir, "ch") }

// chConfig is a minimal server config that both ClickHouse 18.16 and
// current releases accept (root element <yandex>). Everything the server
// writes lives under Dir/ch.
const chConfig = `<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>{{dir}}/log/server.log</log>
        <errorlog>{{dir}}/log/error.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>{{tcp}}</tcp_port>
    <http_port>{{http}}</http_port>
    <path>{{dir}}/data/</path>
    <tmp_path>{{dir}}/tmp/</tmp_path>
    <user_files_path>{{dir}}/user_files/</user_files_path>
    <format_schema_path>{{dir}}/format_schemas/</format_schema_path>
    <users_config>{{dir}}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <max_concurrent_queries>200</max_concurrent_queries>
    <mark_cache_size>1073741824</mark_cache_size>
    <uncompressed_cache_size>1073741824</uncompressed_cache_size>
</yandex>
`

const chUsers = `<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>8000000000</max_memory_usage>{{profile}}
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas><default></default></quotas>
</yandex>
`

// chNode is one private ClickHouse server: its directory, its ports and
// what its configuration adds to chConfig (a cluster node's remote
// servers, coordination service and macros).
type chNode struct {
	name      string // for messages: "ClickHouse", "ClickHouse shard 1 replica 2"
	dir       string
	tcp, http int
	extra     string // XML inside <yandex>
	profile   string // XML inside the default profile of users.xml
}

// single is the one server of `voronka dev up`.
func (e *Env) single() chNode {
	return chNode{name: "ClickHouse", dir: e.chDir(), tcp: e.CHPort, http: e.CHHTTPPort}
}

func (n chNode) addr() string    { return "127.0.0.1:" + strconv.Itoa(n.tcp) }
func (n chNode) pidFile() string { return filepath.Join(n.dir, "clickhouse.pid") }

func (n chNode) writeConfig() (string, error) {
	for _, sub := range []string{"log", "data", "tmp", "user_files", "format_schemas"} {
		if err := os.MkdirAll(filepath.Join(n.dir, sub), 0o755); err != nil {
			return "", err
		}
	}
	r := strings.NewReplacer("{{dir}}", n.dir, "{{tcp}}", strconv.Itoa(n.tcp), "{{http}}", strconv.Itoa(n.http))
	body := strings.Replace(chConfig, "</yandex>", n.extra+"</yandex>", 1)
	cfg := filepath.Join(n.dir, "config.xml")
	if err := os.WriteFile(cfg, []byte(r.Replace(body)), 0o644); err != nil {
		return "", err
	}
	users := strings.Replace(chUsers, "{{profile}}", n.profile, 1)
	return cfg, os.WriteFile(filepath.Join(n.dir, "users.xml"), []byte(users), 0o644)
}

func (e *Env) chUp(ctx context.Context) error { return e.single().up(ctx, e) }

// up starts the server unless it answers, and waits until it does.
func (n chNode) up(ctx context.Context, e *Env) error {
	if n.ping(ctx) == nil {
		return nil
	}
	cfg, err := n.writeConfig()
	if err != nil {
		return err
	}
	bin, err := exec.LookPath("clickhouse-server")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Log, "starting %s on %s (data %s)\n", n.name, n.addr(), n.dir)
	return e.startDaemon(ctx, n.dir, n.pidFile(), []string{bin, "--config-file=" + cfg}, startTimeout, n.ping)
}

// startTimeout bounds the wait for a server to come up. A ClickHouse
// node starts in a second or two here, but one restarted on a loaded CI
// machine once took more than a minute to listen.
const startTimeout = 3 * time.Minute

// startDaemon starts argv in dir as a session of its own (it outlives
// `voronka dev up`), its output appended to dir/log/stdout.log and its pid
// in pidFile, and waits until ready answers; a server that exits first
// ends the wait with its log's place.
func (e *Env) startDaemon(ctx context.Context, dir, pidFile string, argv []string, timeout time.Duration, ready func(context.Context) error, env ...string) error {
	if err := os.MkdirAll(filepath.Join(dir, "log"), 0o755); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(dir, "log", "stdout.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // outlive `voronka dev up`
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", argv[0], err)
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	err = waitFor(ctx, timeout, func(ctx context.Context) error {
		select {
		case werr := <-exited:
			return backoffStop{fmt.Errorf("server exited: %v (see %s/log)", werr, dir)}
		default:
		}
		return ready(ctx)
	})
	var stop backoffStop
	if errors.As(err, &stop) {
		err = stop.err
	}
	if err != nil {
		return fmt.Errorf("%w%s", err, logTail(dir))
	}
	return nil
}

// logTail is the last lines of a server's logs under dir/log, for an
// error that says why it did not come up (on a CI machine the logs are
// gone with it).
func logTail(dir string) string {
	var b strings.Builder
	for _, name := range []string{"error.log", "stdout.log"} {
		data, err := os.ReadFile(filepath.Join(dir, "log", name))
		if err != nil || len(data) == 0 {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		if len(lines) > 8 {
			lines = lines[len(lines)-8:]
		}
		fmt.Fprintf(&b, "\n--- the end of %s/log/%s:\n%s", dir, name, strings.Join(lines, "\n"))
	}
	return b.String()
}

// backoffStop ends waitFor early: the server died, waiting is pointless.
type backoffStop struct{ err error }

func (b backoffStop) Error() string { return b.err.Error() }

func (n chNode) open() (clickhouse.Conn, error) {
	return clickhouse.Open(&clickhouse.Options{
		Addr:        []string{n.addr()},
		DialTimeout: 2 * time.Second,
	})
}

func (n chNode) ping(ctx context.Context) error {
	conn, err := n.open()
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Ping(ctx)
}

func (e *Env) chDown(ctx context.Context) error { return stopDaemon(e.single().pidFile()) }

// pidOf is the pid pidFile holds, 0 when none.
func pidOf(pidFile string) int {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// stopDaemon stops the process whose pid pidFile holds (SIGTERM, then
// SIGKILL after 30 s) and removes the file.
func stopDaemon(pidFile string) error {
	pid := pidOf(pidFile)
	if pid == 0 || syscall.Kill(pid, 0) != nil {
		os.Remove(pidFile)
		return nil
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return err
	}
	for i := 0; i < 300 && syscall.Kill(pid, 0) == nil; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	if syscall.Kill(pid, 0) == nil {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	return os.Remove(pidFile)
}

func (e *Env) chStatus(ctx context.Context) ServerStatus { return e.single().status(ctx, "clickhouse") }

func (n chNode) status(ctx context.Context, name string) ServerStatus {
	s := ServerStatus{Name: name, Address: n.addr(), Detail: n.dir}
	conn, err := n.open()
	if err != nil {
		return s
	}
	defer conn.Close()
	if v, err := conn.ServerVersion(); err == nil && conn.Ping(ctx) == nil {
		s.Running = true
		s.Detail = fmt.Sprintf("version %d.%d.%d, data %s", v.Version.Major, v.Version.Minor, v.Version.Patch, n.dir)
	}
	return s
}
