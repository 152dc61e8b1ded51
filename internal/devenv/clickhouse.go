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

func (e *Env) chDir() string     { return filepath.Join(e.Dir, "ch") }
func (e *Env) chPIDFile() string { return filepath.Join(e.chDir(), "clickhouse.pid") }

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
            <max_memory_usage>8000000000</max_memory_usage>
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

func (e *Env) chWriteConfig() (string, error) {
	for _, sub := range []string{"log", "data", "tmp", "user_files", "format_schemas"} {
		if err := os.MkdirAll(filepath.Join(e.chDir(), sub), 0o755); err != nil {
			return "", err
		}
	}
	r := strings.NewReplacer("{{dir}}", e.chDir(), "{{tcp}}", strconv.Itoa(e.CHPort), "{{http}}", strconv.Itoa(e.CHHTTPPort))
	cfg := filepath.Join(e.chDir(), "config.xml")
	if err := os.WriteFile(cfg, []byte(r.Replace(chConfig)), 0o644); err != nil {
		return "", err
	}
	return cfg, os.WriteFile(filepath.Join(e.chDir(), "users.xml"), []byte(chUsers), 0o644)
}

func (e *Env) chUp(ctx context.Context) error {
	if e.chPing(ctx) == nil {
		return nil
	}
	cfg, err := e.chWriteConfig()
	if err != nil {
		return err
	}
	bin, err := exec.LookPath("clickhouse-server")
	if err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(e.chDir(), "log", "stdout.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	fmt.Fprintf(e.Log, "starting ClickHouse on %s (data %s)\n", e.CHAddr(), e.chDir())
	cmd := exec.Command(bin, "--config-file="+cfg)
	cmd.Dir = e.chDir()
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // outlive `voronka dev up`
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	if err := os.WriteFile(e.chPIDFile(), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	err = waitFor(ctx, 60*time.Second, func(ctx context.Context) error {
		select {
		case werr := <-exited:
			return backoffStop{fmt.Errorf("server exited: %v (see %s/log)", werr, e.chDir())}
		default:
		}
		return e.chPing(ctx)
	})
	var stop backoffStop
	if errors.As(err, &stop) {
		return stop.err
	}
	return err
}

// backoffStop ends waitFor early: the server died, waiting is pointless.
type backoffStop struct{ err error }

func (b backoffStop) Error() string { return b.err.Error() }

func (e *Env) chOpen() (clickhouse.Conn, error) {
	return clickhouse.Open(&clickhouse.Options{
		Addr:        []string{e.CHAddr()},
		DialTimeout: 2 * time.Second,
	})
}

func (e *Env) chPing(ctx context.Context) error {
	conn, err := e.chOpen()
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Ping(ctx)
}

func (e *Env) chPID() int {
	b, err := os.ReadFile(e.chPIDFile())
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

func (e *Env) chDown(ctx context.Context) error {
	pid := e.chPID()
	if pid == 0 || syscall.Kill(pid, 0) != nil {
		os.Remove(e.chPIDFile())
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
	return os.Remove(e.chPIDFile())
}

func (e *Env) chStatus(ctx context.Context) ServerStatus {
	s := ServerStatus{Name: "clickhouse", Address: e.CHAddr(), Detail: e.chDir()}
	conn, err := e.chOpen()
	if err != nil {
		return s
	}
	defer conn.Close()
	if v, err := conn.ServerVersion(); err == nil && conn.Ping(ctx) == nil {
		s.Running = true
		s.Detail = fmt.Sprintf("version %d.%d.%d, data %s", v.Version.Major, v.Version.Minor, v.Version.Patch, e.chDir())
	}
	return s
}
