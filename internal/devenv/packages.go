package devenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// ensurePackages installs PostgreSQL and ClickHouse from Debian when their
// binaries are missing. Only root may install; others get a clear error.
func (e *Env) ensurePackages(ctx context.Context) error {
	var missing []string
	if _, err := pgBinDir(); err != nil {
		missing = append(missing, "postgresql")
	}
	if _, err := exec.LookPath("clickhouse-server"); err != nil {
		missing = append(missing, "clickhouse-server", "clickhouse-client")
	}
	if len(missing) == 0 {
		return nil
	}
	return e.aptInstall(ctx, missing...)
}

// aptInstall installs Debian packages (root only; others get the command
// to run).
func (e *Env) aptInstall(ctx context.Context, missing ...string) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("missing packages %v: run as root or `sudo apt-get install -y %v`", missing, missing)
	}
	fmt.Fprintf(e.Log, "installing %v with apt-get…\n", missing)
	if err := run(ctx, "apt-get", "update"); err != nil {
		return err
	}
	args := append([]string{"install", "-y", "--no-install-recommends"}, missing...)
	cmd := exec.CommandContext(ctx, "apt-get", args...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get install %v: %w\n%s", missing, err, out)
	}
	return nil
}

// pgBinDir is the newest /usr/lib/postgresql/<ver>/bin holding initdb.
func pgBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		return "", fmt.Errorf("no PostgreSQL server binaries under /usr/lib/postgresql")
	}
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) < versionOf(dirs[j]) })
	return filepath.Dir(dirs[len(dirs)-1]), nil
}

func versionOf(initdb string) int {
	var v int
	fmt.Sscanf(filepath.Base(filepath.Dir(filepath.Dir(initdb))), "%d", &v)
	return v
}
