package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// listFlag collects a repeated flag (--map a=b --map c=d).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// runImport is `voronka import --kind K --file F [--dry-run] [--encoding E]
// [--separator S] [--map col=field]… [--format csv|vcard] [--on-duplicate
// skip|update|create] [--responsible EMAIL] [--source CODE] [--as EMAIL]`.
func runImport(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := loadConfig(fs, env.getenv)
	var req intake.Request
	var maps listFlag
	file := fs.String("file", "", "the CSV or vCard file (required)")
	as := fs.String("as", "", "e-mail of the user the import acts as (default: the first active admin)")
	resp := fs.String("responsible", "", "e-mail of the default responsible for rows without one (default: the --as user)")
	fs.StringVar(&req.Kind, "kind", "", "leads, contacts or companies (required)")
	fs.StringVar(&req.Format, "format", "", "csv or vcard (default: from the file name and content)")
	fs.StringVar(&req.Encoding, "encoding", "auto", "auto, utf-8 or cp1251")
	fs.StringVar(&req.Separator, "separator", "auto", "; , tab or auto")
	fs.Var(&maps, "map", "column=field, repeatable: map a header column to an import field")
	fs.BoolVar(&req.Import.DryRun, "dry-run", false, "report what would happen; change nothing")
	fs.StringVar(&req.Import.OnDuplicate, "on-duplicate", "skip", "skip, update or create rows matching existing records")
	fs.StringVar(&req.Import.Source, "source", "import", "source code of imported leads")
	if err := parseAndValidate(fs, args, cfg); err != nil {
		return err
	}
	if *file == "" || req.Kind == "" {
		return fmt.Errorf("import: --kind and --file are required")
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if req.Map, err = intake.ParseMap(maps); err != nil {
		return importErr(err)
	}
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := crmcore.NewStore(pool)
	p, err := cliPrincipal(ctx, store, *as, *resp, &req.Import)
	if err != nil {
		return err
	}
	req.Import.FileName = *file
	req.Import.Progress = func(done, total int) { fmt.Fprintf(env.stderr, "\rimport: %d / %d rows", done, total) }
	res, err := intake.Run(ctx, store, p, data, req)
	fmt.Fprintln(env.stderr)
	if err != nil {
		return importErr(err)
	}
	return printImport(env.stdout, res)
}

// cliPrincipal is the user the import acts as, and sets the default
// responsible.
func cliPrincipal(ctx context.Context, s *crmcore.Store, as, resp string, o *intake.ImportOptions) (domain.Principal, error) {
	users, err := s.ListUsers(ctx)
	if err != nil {
		return domain.Principal{}, err
	}
	var p domain.Principal
	for _, u := range users {
		if u.Active && ((as == "" && u.Role == domain.RoleAdmin && p.UserID == 0) || strings.EqualFold(u.Email, as)) {
			p = domain.Principal{UserID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role}
		}
		if resp != "" && u.Active && strings.EqualFold(u.Email, resp) {
			o.ResponsibleID = u.ID
		}
	}
	switch {
	case p.UserID == 0:
		return p, fmt.Errorf("import: no active user %q to act as (create an admin with voronka user add)", as)
	case resp != "" && o.ResponsibleID == 0:
		return p, fmt.Errorf("import: --responsible: no active user %q", resp)
	}
	return p, nil
}

// printImport writes the per-row report and the totals.
func printImport(w io.Writer, r intake.Result) error {
	cols, _ := json.Marshal(r.File.Columns)
	fmt.Fprintf(w, "file: %s, separator %q, columns %s, ignored %v\n", r.File.Encoding, r.File.Separator, cols, r.File.Ignored)
	printRows(w, r.Report.Rows)
	rep := r.Report
	return reportState(w, "import", rep, fmt.Sprintf("%d rows: %d created, %d updated, %d skipped, %d errors",
		rep.Total, rep.Created, rep.Updated, rep.Skipped, rep.Failed))
}

// reportState ends an import's output: its totals, whether it was applied,
// and an error (what, for the exit status) when error rows kept it from
// being written.
func reportState(w io.Writer, what string, rep crmcore.ImportReport, totals string) error {
	state := "applied"
	switch {
	case rep.DryRun:
		state = "dry run: nothing written"
	case !rep.Applied:
		state = "NOT applied: fix the error rows and run again; nothing was written"
	}
	fmt.Fprintf(w, "%s — %s (run %d)\n", totals, state, rep.RunID)
	if !rep.DryRun && !rep.Applied {
		return fmt.Errorf("%s: %d rows with errors", what, rep.Failed)
	}
	return nil
}

// printRows writes one line per report row.
func printRows(w io.Writer, rows []crmcore.ImportRow) {
	for _, row := range rows {
		fmt.Fprintf(w, "line %d: %s", row.Line, row.Action)
		if row.ID != 0 {
			fmt.Fprintf(w, " #%d", row.ID)
		}
		if row.Field != "" {
			fmt.Fprintf(w, " [%s]", row.Field)
		}
		if row.Reason != "" {
			fmt.Fprintf(w, ": %s", row.Reason)
		}
		fmt.Fprintln(w)
	}
}

// importErr words an application error for the terminal.
func importErr(err error) error {
	if e := apperr.As(err); e != nil && e.Field != "" {
		return fmt.Errorf("import: %s: %s", e.Field, e.Message)
	}
	return fmt.Errorf("import: %w", err)
}
