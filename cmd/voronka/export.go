package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/xlsx"
)

// exportFlags are `voronka export`'s own flags.
type exportFlags struct {
	report, definition, out, as, from, to, lang string
}

// runExport is `voronka export --report ID|--definition FILE --out
// FILE.xlsx [--as EMAIL] [--from D --to D] [--lang ru|en]`: one report
// to a workbook, read with the access of --as (everything without it).
func runExport(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	var f exportFlags
	fs.StringVar(&f.report, "report", "", "a standard report id or a saved report number")
	fs.StringVar(&f.definition, "definition", "", "a report definition (JSON file) instead of --report")
	fs.StringVar(&f.out, "out", "", "the workbook to write (.xlsx)")
	fs.StringVar(&f.as, "as", "", "read with this user's access (e-mail); default: every row")
	fs.StringVar(&f.from, "from", "", "period start (date or RFC 3339), with --to")
	fs.StringVar(&f.to, "to", "", "period end (date inclusive, or RFC 3339 exclusive)")
	fs.StringVar(&f.lang, "lang", "", "ru or en (default: the report's, else ru)")
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	if (f.report == "") == (f.definition == "") || f.out == "" {
		return errors.New("export: give --report ID or --definition FILE, and --out FILE.xlsx")
	}
	pool, ch, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	defer ch.Close()
	eng := &engine.Engine{CH: ch, Now: time.Now}
	p := domain.System
	if f.as != "" {
		if p, err = crmcore.NewStore(pool).PrincipalByEmail(ctx, f.as); err != nil {
			return fmt.Errorf("--as: %w", err)
		}
	}
	name, def, err := exportDefinition(ctx, &saved.Store{PG: pool, Now: time.Now}, p, f)
	if err != nil {
		return err
	}
	rows, err := writeExport(ctx, eng, p, xlsx.Report{Name: name, Lang: def.Lang, Def: def}, f.out)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s: %d rows\n", f.out, rows)
	return nil
}

// exportDefinition is the report to export: a saved or standard one
// (its period replaced by --from/--to) or a definition file.
func exportDefinition(ctx context.Context, lib *saved.Store, p domain.Principal, f exportFlags) (string, *reports.Definition, error) {
	var name string
	var def *reports.Definition
	if f.definition != "" {
		b, err := os.ReadFile(f.definition)
		if err != nil {
			return "", nil, err
		}
		if def, err = reports.ParseDefinition(b); err != nil {
			return "", nil, fmt.Errorf("%s: %w", f.definition, err)
		}
		name = i18n.T("Отчёт", "Report").In(f.lang) + " " + filepath.Base(f.definition)
	} else {
		e, d, err := lib.Definition(ctx, p, f.report, f.from, f.to)
		if err != nil {
			return "", nil, fmt.Errorf("report %s: %w", f.report, err)
		}
		name, def = i18n.T(e.Name, e.NameEN).In(f.lang), &d
	}
	if f.lang != "" {
		def.Lang = f.lang
	}
	return name, def, nil
}

// writeExport streams the workbook to a temporary file beside out, then
// renames it: out is never half written.
func writeExport(ctx context.Context, eng *engine.Engine, p domain.Principal, rep xlsx.Report, out string) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".voronka-export-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	_, rows, err := xlsx.Export(ctx, eng, p, rep, xlsx.Options{}, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	return rows, os.Rename(tmp.Name(), out)
}
