package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/rates"
)

// runRates is `voronka rates import --file F [--currency C]`: the Bank
// of Russia's XML_daily.asp or XML_dynamic.asp file into currency_rates,
// in one transaction, idempotently.
func runRates(ctx context.Context, args []string, env *cliEnv) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("rates: usage: voronka rates import --file F [--currency C]")
	}
	fs := flag.NewFlagSet("rates import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := loadConfig(fs, env.getenv)
	file := fs.String("file", "", "the Bank of Russia's XML_daily.asp or XML_dynamic.asp file (required)")
	currency := fs.String("currency", "", "ISO code of a dynamic file's currency, when the bank's id is not one Voronka maps")
	if err := parseAndValidate(fs, args[1:], cfg); err != nil {
		return err
	}
	if *file == "" {
		return fmt.Errorf("rates import: --file is required")
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("rates import: %w", err)
	}
	f, err := rates.Parse(data, *currency)
	var pe *rates.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("rates import: %s: %w; nothing was written", *file, err)
	}
	if err != nil {
		return fmt.Errorf("rates import: %w", err)
	}
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	start := time.Now()
	sum, err := rates.Store{DB: pool}.Import(ctx, f)
	if err != nil {
		return fmt.Errorf("rates import: %w; nothing was written", err)
	}
	printRates(env.stdout, *file, sum, time.Since(start))
	return nil
}

// printRates writes an import's summary, one line.
func printRates(w io.Writer, file string, s rates.Summary, took time.Duration) {
	span := "no rates"
	if s.From != "" {
		span = s.From + ".." + s.To
	}
	fmt.Fprintf(w, "%s: %s file, %s: %d added, %d changed, %d unchanged, %d skipped", file, s.Kind, span, s.Added, s.Changed, s.Unchanged, s.Skipped)
	if len(s.SkippedIn) > 0 {
		fmt.Fprintf(w, " (not in currencies: %s)", strings.Join(s.SkippedIn, ", "))
	}
	fmt.Fprintf(w, " in %s\n", took.Round(time.Millisecond))
}
