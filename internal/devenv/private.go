package devenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
)

// NewPrivate prepares a throwaway environment for fault tests: a new
// directory under parent and free loopback ports, so its servers can be
// stopped, killed and restarted without disturbing the shared ones. Up
// starts it; Destroy stops it and removes the directory. When we run as
// root, PostgreSQL runs as the postgres user, so parent and every
// directory above it must be traversable by others (t.TempDir() is not:
// its parent has mode 0700).
func NewPrivate(parent string, log io.Writer) (*Env, error) {
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, "private-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	if err := traversable(dir); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	var ports [3]int
	for i := range ports {
		if ports[i], err = FreePort(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	e := New(dir, func(string) string { return "" }, log)
	e.PGPort, e.CHPort, e.CHHTTPPort = ports[0], ports[1], ports[2]
	return e, nil
}

// traversable checks, when we run as root, that the postgres user can
// reach dir: every directory from / down to it must be executable by
// others.
func traversable(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	for d := dir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("%s (mode %v) is not traversable by the postgres user; choose a parent under a world-readable directory", d, fi.Mode().Perm())
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
// (Another process may take it before the server binds; the server then
// fails to start and says so.)
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// StopClickHouse stops this environment's ClickHouse server (SIGTERM to
// the pid of its pid file, SIGKILL after 30 s) and returns once the
// process has gone. Its data stays.
func (e *Env) StopClickHouse(ctx context.Context) error { return e.chDown(ctx) }

// StartClickHouse starts this environment's ClickHouse again with the
// same configuration, ports and data, and waits until it answers.
func (e *Env) StartClickHouse(ctx context.Context) error { return e.chUp(ctx) }

// ClickHousePID is the pid of this environment's ClickHouse server, 0
// when it has none.
func (e *Env) ClickHousePID() int { return pidOf(e.single().pidFile()) }

// RestartPostgres restarts this environment's PostgreSQL with
// `pg_ctl restart -m fast` (open sessions and walsenders are ended, a
// shutdown checkpoint is written) and waits until it accepts connections.
func (e *Env) RestartPostgres(ctx context.Context) error {
	opts := fmt.Sprintf("-p %d -k %s", e.PGPort, e.pgSockets())
	if err := e.pgRun(ctx, "pg_ctl", "-D", e.pgData(), "-l", e.pgLog(), "-o", opts,
		"-m", "fast", "-w", "-t", "60", "restart"); err != nil {
		return err
	}
	return e.pgPing(ctx)
}

// Destroy stops both servers and removes the environment's directory:
// for private environments from NewPrivate only, never the shared one.
// When a server does not stop, the directory is left for inspection.
func (e *Env) Destroy(ctx context.Context) error {
	if err := e.Down(ctx); err != nil {
		return fmt.Errorf("stop private servers in %s: %w", e.Dir, err)
	}
	return os.RemoveAll(e.Dir)
}

// FreeClusterPort is a base port B for a private cluster (Env.ClusterPort)
// with B+1 … B+99 free now.
func FreeClusterPort() (int, error) {
	for try := 0; try < 50; try++ {
		base := 30000 + rand.IntN(300)*100
		free := true
		for p := base + 1; p <= base+99 && free; p++ {
			ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				free = false
				continue
			}
			ln.Close()
		}
		if free {
			return base, nil
		}
	}
	return 0, errors.New("no free range of 100 ports for a private cluster")
}
