// Package devenv runs a private PostgreSQL and ClickHouse under ./var for
// development and tests. It installs the Debian packages when they are
// missing and the process runs as root, starts each server on its own ports
// and sockets, and is idempotent: Up on running servers only checks them.
// `voronka dev` and internal/testenv both use it, so tests run against the
// same servers a developer starts by hand.
package devenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Default ports, chosen away from the stock 5432/9000 so a system server
// can run beside the private ones. Override with VORONKA_DEV_PG_PORT and
// VORONKA_DEV_CH_PORT.
const (
	DefaultPGPort     = 55432
	DefaultCHPort     = 19000
	DefaultCHHTTPPort = 18123
)

// Env describes one private environment rooted at Dir (normally ./var).
type Env struct {
	Dir        string
	PGPort     int
	CHPort     int
	CHHTTPPort int
	// ClusterPort is the base of the local cluster's ports (cluster.go).
	ClusterPort int
	Log         io.Writer // progress messages; never nil after New
}

// New returns the environment rooted at dir with ports from getenv.
func New(dir string, getenv func(string) string, log io.Writer) *Env {
	if log == nil {
		log = io.Discard
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		dir = abs
	}
	addrs := AddressesFrom(getenv)
	return &Env{
		Dir:         dir,
		PGPort:      addrs.PGPort,
		CHPort:      addrs.CHPort,
		CHHTTPPort:  envInt(getenv, "VORONKA_DEV_CH_HTTP_PORT", DefaultCHHTTPPort),
		ClusterPort: envInt(getenv, "VORONKA_DEV_CLUSTER_PORT", DefaultClusterPort),
		Log:         log,
	}
}

// DefaultDir is VORONKA_DEV_DIR, else the var/ folder of the enclosing
// Voronka checkout (found by walking up to go.mod), else ./var.
func DefaultDir(getenv func(string) string) string {
	if d := getenv("VORONKA_DEV_DIR"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return "var"
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "var")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(wd, "var")
		}
	}
}

// addresses are where this environment's servers listen.
func (e *Env) addresses() Addresses { return Addresses{PGPort: e.PGPort, CHPort: e.CHPort} }

// PGURL is the URL of the private PostgreSQL's database db.
func (e *Env) PGURL(db string) string { return e.addresses().PGURL(db) }

// CHAddr is the native-protocol address of the private ClickHouse.
func (e *Env) CHAddr() string { return e.addresses().CHAddr() }

// Up installs what is missing, starts both servers unless they run, and
// waits until each answers. Concurrent callers (parallel test packages)
// serialise on a lock file.
func (e *Env) Up(ctx context.Context) error {
	unlock, err := e.prepare(e.Dir)
	if err != nil {
		return err
	}
	defer unlock()
	if err := e.ensurePackages(ctx); err != nil {
		return err
	}
	if err := e.pgUp(ctx); err != nil {
		return fmt.Errorf("postgresql: %w", err)
	}
	if err := e.chUp(ctx); err != nil {
		return fmt.Errorf("clickhouse: %w", err)
	}
	return nil
}

// Down stops both servers, and the local cluster when one runs; data
// stays under Dir.
func (e *Env) Down(ctx context.Context) error {
	return errors.Join(e.ClusterDown(ctx), e.pgDown(ctx), e.chDown(ctx))
}

// Status reports, per server, whether it answers and where.
func (e *Env) Status(ctx context.Context) []ServerStatus {
	return []ServerStatus{e.pgStatus(ctx), e.chStatus(ctx)}
}

// ServerStatus is one line of `voronka dev status`.
type ServerStatus struct {
	Name    string
	Running bool
	Address string
	Detail  string
}

func (s ServerStatus) String() string {
	state := "stopped"
	if s.Running {
		state = "running"
	}
	return fmt.Sprintf("%-10s %-8s %-28s %s", s.Name, state, s.Address, s.Detail)
}

// EnvLines are the `export VAR=value` lines of `voronka dev env`.
func (e *Env) EnvLines() []string {
	return []string{
		"export VORONKA_PG_URL='" + e.PGURL("voronka") + "'",
		"export VORONKA_CH_ADDR='" + e.CHAddr() + "'",
	}
}

// prepare creates dir (Dir or below it), fences Dir off from the go tool
// and takes the environment's lock: what every start does first.
func (e *Env) prepare(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	if err := fenceOffFromGo(e.Dir); err != nil {
		return nil, err
	}
	return lockFile(filepath.Join(e.Dir, "devenv.lock"))
}

func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// run executes a command, returning its combined output in the error.
func run(ctx context.Context, name string, args ...string) error {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %v: %w\n%s", name, args, err, out)
	}
	return nil
}

// waitFor polls check until it succeeds or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, check func(context.Context) error) error {
	deadline := time.Now().Add(timeout)
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := check(cctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %s: %w", timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func envInt(getenv func(string) string, key string, def int) int {
	var n int
	if v := getenv(key); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &n); err == nil && n > 0 {
			return n
		}
	}
	return def
}

// fenceOffFromGo puts a go.mod at the top of the servers' directory. The
// default directory (var/) lies inside the repository, and `go list ./...`
// (the layout tests run it) would otherwise walk ClickHouse's data
// directories while the server renames and removes its insert parts —
// a package that vanishes mid-walk fails the listing. The go tool never
// crosses into a nested module, so the file keeps the walk out.
func fenceOffFromGo(dir string) error {
	p := filepath.Join(dir, "go.mod")
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.WriteFile(p, []byte("// The dev servers' data: not Go code (see internal/devenv).\nmodule voronka.dev/var\n"), 0o644); err != nil {
		return fmt.Errorf("fence %s off from the go tool: %w", dir, err)
	}
	return nil
}
