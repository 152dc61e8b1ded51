package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
)

// runCalls is `voronka calls import --file F [--format asterisk|plain]
// [--min-digits N] [--zone Z] [--encoding E] [--separator S] [--dry-run]
// [--as EMAIL]`.
func runCalls(ctx context.Context, args []string, env *cliEnv) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("usage: voronka calls import --file F [--format asterisk|plain] [--min-digits N] [--zone Europe/Moscow]")
	}
	fs := flag.NewFlagSet("calls import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := loadConfig(fs, env.getenv)
	var o intake.CallOptions
	file := fs.String("file", "", "the call log: Asterisk's Master.csv (/var/log/asterisk/cdr-csv/Master.csv) or a plain CSV (required)")
	as := fs.String("as", "", "e-mail of the admin or director the import acts as (default: the first active admin)")
	fs.StringVar(&o.Format, "format", intake.CallsAsterisk, "asterisk (Master.csv, no header) or plain (time, from, to, duration, direction, extension)")
	fs.IntVar(&o.MinDigits, "min-digits", intake.DefaultMinDigits, "numbers with fewer digits are internal: such calls are not logged")
	fs.StringVar(&o.Zone, "zone", intake.DefaultCallZone, "the PBX's time zone (its CDR times have none)")
	fs.StringVar(&o.Encoding, "encoding", "auto", "auto, utf-8 or cp1251")
	fs.StringVar(&o.Separator, "separator", "auto", "plain format: ; , tab or auto")
	fs.BoolVar(&o.DryRun, "dry-run", false, "report what would happen; change nothing")
	if err := parseAndValidate(fs, args[1:], cfg); err != nil {
		return err
	}
	if *file == "" {
		return fmt.Errorf("calls import: --file is required")
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("calls import: %w", err)
	}
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := crmcore.NewStore(pool)
	p, err := cliPrincipal(ctx, store, *as, "", &intake.ImportOptions{})
	if err != nil {
		return err
	}
	o.FileName = *file
	o.Progress = func(done, total int) { fmt.Fprintf(env.stderr, "\rcalls import: %d / %d rows", done, total) }
	res, err := intake.ImportCalls(ctx, store, p, data, o)
	fmt.Fprintln(env.stderr)
	if err != nil {
		return importErr(err)
	}
	return printCalls(env.stdout, res)
}

// printCalls writes the per-row report and the totals.
func printCalls(w io.Writer, r intake.CallResult) error {
	fmt.Fprintf(w, "file: %s, %s, zone %s, internal numbers below %d digits\n", r.File.Format, r.File.Encoding, r.File.Zone, r.File.MinDigits)
	printRows(w, r.Report.Rows)
	rep := r.Report
	return reportState(w, "calls import", rep, fmt.Sprintf("%d rows: %d added, %d duplicates, %d internal skipped, %d errors",
		rep.Total, rep.Created, r.Duplicates, r.Internal, rep.Failed))
}
