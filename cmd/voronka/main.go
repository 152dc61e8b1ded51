// Command voronka is the Voronka server and its tools: one binary that
// serves dashboards and the API, streams changes into ClickHouse, runs the
// export scheduler, seeds demo data and manages a private dev environment.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "voronka:", err)
		os.Exit(1)
	}
}

// command is one subcommand: it parses its own flags from args.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, env *cliEnv) error
}

// cliEnv is what every subcommand receives instead of globals.
type cliEnv struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
}

func commands() map[string]command {
	return map[string]command{
		"dev":       {"dev up|down|status|env: private PostgreSQL and ClickHouse under ./var", runDev},
		"migrate":   {"apply database migrations (idempotent)", runMigrate},
		"seed":      {"seed [--deals N] [--seed S]: deterministic demo CRM data", runSeed},
		"serve":     {"HTTP server (API and dashboards) with the change stream in-process", runServe},
		"ingest":    {"ingest [run|verify|drop-slot]: the change stream alone, the reconcile check, retire the slot", runIngest},
		"user":      {"user add --email E --name N --role R --password P", runUser},
		"demo":      {"dev up + migrate + seed + user accounts + serve: the newcomer's one command", runDemo},
		"scheduler": {"the export scheduler alone (serve runs it too)", runScheduler},
		"export":    {"export --report ID|--definition FILE --out FILE.xlsx [--as EMAIL] [--from D --to D]: one report to Excel", runExport},
		"rates":     {"rates import --file F [--currency C]: the Bank of Russia's daily or dynamic XML rates", runRates},
		"calls":     {"calls import --file Master.csv [--format asterisk|plain] [--min-digits 5] [--zone Europe/Moscow]: PBX call logs as call activities", runCalls},
		"import":    {"import --kind leads|contacts|companies --file F [--dry-run] [--encoding cp1251] [--map col=field]: CSV or vCard", runImport},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	env := &cliEnv{getenv: getenv, stdout: stdout, stderr: stderr}
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout, cmds)
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(stderr, cmds)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(ctx, args[1:], env)
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "usage: voronka <command> [flags]")
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "Run `voronka <command> -h` for the flags of a command. "+strings.TrimSpace(configHelp))
}
