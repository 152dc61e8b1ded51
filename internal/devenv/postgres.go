package devenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

func (e *Env) pgDir() string     { return filepath.Join(e.Dir, "pg") }
func (e *Env) pgData() string    { return filepath.Join(e.pgDir(), "data") }
func (e *Env) pgSockets() string { return filepath.Join(e.pgDir(), "run") }
func (e *Env) pgLog() string     { return filepath.Join(e.pgDir(), "postgres.log") }

// pgSettings are appended to postgresql.conf at initdb. wal_level=logical
// is what the change stream needs; the rest sizes the server for a
// developer machine and the test suite's parallel databases.
var pgSettings = []string{
	"listen_addresses = '127.0.0.1'",
	"wal_level = logical",
	"max_replication_slots = 64",
	"max_wal_senders = 64",
	"max_connections = 300",
	"shared_buffers = 512MB",
	"work_mem = 32MB",
	"maintenance_work_mem = 256MB",
	"synchronous_commit = off",
	"max_wal_size = 4GB",
	"timezone = 'UTC'",
	"log_min_messages = warning",
}

// pgCmd runs a PostgreSQL binary, as the postgres user when we are root
// (PostgreSQL refuses to run as root).
func (e *Env) pgCmd(ctx context.Context, bin string, args ...string) *exec.Cmd {
	dir, _ := pgBinDir()
	path := filepath.Join(dir, bin)
	if os.Geteuid() == 0 {
		return exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.CommandContext(ctx, path, args...)
}

func (e *Env) pgRun(ctx context.Context, bin string, args ...string) error {
	out, err := e.pgCmd(ctx, bin, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %v: %w\n%s", bin, args, err, out)
	}
	return nil
}

func (e *Env) pgUp(ctx context.Context) error {
	if e.pgPing(ctx) == nil {
		return e.pgCreateDB(ctx, "voronka")
	}
	if err := e.pgInit(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.Log, "starting PostgreSQL on 127.0.0.1:%d (data %s)\n", e.PGPort, e.pgData())
	opts := fmt.Sprintf("-p %d -k %s", e.PGPort, e.pgSockets())
	if err := e.pgRun(ctx, "pg_ctl", "-D", e.pgData(), "-l", e.pgLog(), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return err
	}
	if err := waitFor(ctx, 30*time.Second, e.pgPing); err != nil {
		return err
	}
	return e.pgCreateDB(ctx, "voronka")
}

// pgInit creates the cluster once: superuser voronka, trust auth on
// loopback and the socket (a private development server).
func (e *Env) pgInit(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(e.pgData(), "PG_VERSION")); err == nil {
		return e.pgOwn()
	}
	for _, d := range []string{e.pgData(), e.pgSockets()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	if err := e.pgOwn(); err != nil {
		return err
	}
	fmt.Fprintf(e.Log, "initialising PostgreSQL cluster in %s\n", e.pgData())
	if err := e.pgRun(ctx, "initdb", "-D", e.pgData(), "-U", "voronka", "--auth=trust",
		"-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(e.pgData(), "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "\n# voronka dev\n%s\n", joinLines(pgSettings))
	return err
}

// pgOwn gives ./var/pg to the postgres user when we run as root.
func (e *Env) pgOwn() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("look up postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return filepath.Walk(e.pgDir(), func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

func (e *Env) pgPing(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, e.PGURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.Ping(ctx)
}

func (e *Env) pgCreateDB(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, e.PGURL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

func (e *Env) pgDown(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(e.pgData(), "postmaster.pid")); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return e.pgRun(ctx, "pg_ctl", "-D", e.pgData(), "-m", "fast", "-w", "stop")
}

func (e *Env) pgStatus(ctx context.Context) ServerStatus {
	s := ServerStatus{Name: "postgresql", Address: fmt.Sprintf("127.0.0.1:%d", e.PGPort), Detail: e.pgData()}
	var version string
	if conn, err := pgx.Connect(ctx, e.PGURL("postgres")); err == nil {
		defer conn.Close(context.Background())
		if conn.QueryRow(ctx, "SHOW server_version").Scan(&version) == nil {
			s.Running = true
			s.Detail = "version " + version + ", data " + e.pgData()
		}
	}
	return s
}

func joinLines(lines []string) string {
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}
