package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
)

// `voronka rates import` loads the bank's daily and dynamic files,
// prints what it did, changes nothing the second time, and refuses a
// malformed file naming the line and element, writing nothing.
func TestRatesImportCommand(t *testing.T) {
	pg := testenv.NewPG(t)
	vars := map[string]string{"VORONKA_PG_URL": pg.URL}
	dir := filepath.Join("..", "..", "crmcore", "rates", "testdata")
	rows := func() string {
		var s string
		pg.Pool.QueryRow(context.Background(), `SELECT string_agg(code || ' ' || valid_from || ' ' || trim_scale(rate), ', ' ORDER BY code, valid_from)
FROM currency_rates WHERE valid_from > '2000-01-01'`).Scan(&s)
		return s
	}
	for i, tc := range []struct {
		file, currency, want, rows string
	}{
		{"daily_2024-03-02.xml", "", "daily file, 2024-03-02..2024-03-02: 3 added, 0 changed, 0 unchanged, 3 skipped (not in currencies: GBP, JPY, KZT)",
			"CNY 2024-03-02 12.65893, EUR 2024-03-02 98.9044, USD 2024-03-02 91.3336"},
		{"daily_2024-03-02.xml", "", "daily file, 2024-03-02..2024-03-02: 0 added, 0 changed, 3 unchanged, 3 skipped",
			"CNY 2024-03-02 12.65893, EUR 2024-03-02 98.9044, USD 2024-03-02 91.3336"},
		{"dynamic_usd_2024-03.xml", "USD", "dynamic file, 2024-03-01..2024-03-06: 3 added, 0 changed, 1 unchanged, 0 skipped",
			"CNY 2024-03-02 12.65893, EUR 2024-03-02 98.9044, USD 2024-03-01 90.8423, USD 2024-03-02 91.3336, USD 2024-03-05 91.0305, USD 2024-03-06 90.7493"},
	} {
		out, err := runCLI(t, vars, "rates", "import", "--file", filepath.Join(dir, tc.file), "--currency", tc.currency)
		if err != nil || !strings.Contains(out, tc.want) {
			t.Fatalf("import %d: %v\n%s\nwant %s", i+1, err, out, tc.want)
		}
		if got := rows(); got != tc.rows {
			t.Errorf("import %d: rates %s, want %s", i+1, got, tc.rows)
		}
	}
	before := rows()
	data, _ := os.ReadFile(filepath.Join(dir, "dynamic_usd_2024-03.xml"))
	for _, tc := range []struct{ name, text, currency, want string }{
		{"a broken value", strings.Replace(string(data), "90,7493", "90,74,93", 1), "", `line 6, <Value>: "90,74,93" is not a rate`},
		{"cut short", string(data[:200]), "", "not well-formed XML"},
		{"another currency", string(data), "EUR", "the file is of R01235 (USD), not EUR"},
	} {
		bad := filepath.Join(t.TempDir(), "bad.xml")
		os.WriteFile(bad, []byte(tc.text), 0o644)
		_, err := runCLI(t, vars, "rates", "import", "--file", bad, "--currency", tc.currency)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if got := rows(); got != before {
		t.Errorf("refused files wrote: %s", got)
	}
	if _, err := runCLI(t, vars, "rates", "load"); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("an unknown subcommand: %v", err)
	}
}
