package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/olap"
)

// Report is the outcome of a reconcile check: one line per mirrored table.
type Report struct {
	Tables []TableCheck `json:"tables"`
}

// TableCheck compares one table's row count and checksum (see
// olap.DB.ChecksumQueries) between PostgreSQL and the current state of its
// ClickHouse mirror. Problem explains a failure the numbers cannot, such
// as a column missing on one side.
type TableCheck struct {
	Table   string `json:"table"`
	PGCount int64  `json:"pg_count"`
	CHCount int64  `json:"ch_count"`
	PGSum   int64  `json:"pg_sum"`
	CHSum   int64  `json:"ch_sum"`
	OK      bool   `json:"ok"`
	Problem string `json:"problem,omitempty"`
}

// OK is true when every table matched.
func (r Report) OK() bool { return len(r.Failed()) == 0 }

// Failed names the tables that did not match.
func (r Report) Failed() []string {
	var out []string
	for _, t := range r.Tables {
		if !t.OK {
			out = append(out, t.Table)
		}
	}
	return out
}

// WriteText prints the report as an aligned table, differences marked.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "table\tpg rows\tch rows\tpg checksum\tch checksum\tstatus")
	for _, t := range r.Tables {
		status := "ok"
		if !t.OK {
			status = "DIFFERS " + t.Problem
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\n", t.Table, t.PGCount, t.CHCount, t.PGSum, t.CHSum, strings.TrimSpace(status))
	}
	return tw.Flush()
}

// Verify compares every mirrored table between PostgreSQL and ClickHouse:
// row counts and a checksum over all mirrored columns. PostgreSQL is read
// in one REPEATABLE READ snapshot; ClickHouse at its current state (FINAL,
// _deleted = 0). Run it when the stream has caught up: changes committed
// but not yet applied show as differences. An error means the check could
// not run; a difference is a failed TableCheck, not an error.
func Verify(ctx context.Context, pg *pgxpool.Pool, ch *olap.DB) (Report, error) {
	tx, err := pg.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return Report{}, fmt.Errorf("verify: %w", err)
	}
	defer tx.Rollback(ctx)
	var rep Report
	for _, m := range olap.Mirrors() {
		tc, err := verifyTable(ctx, tx, ch, m)
		if err != nil {
			return rep, fmt.Errorf("verify %s: %w", m.Table, err)
		}
		rep.Tables = append(rep.Tables, tc)
	}
	return rep, nil
}

func verifyTable(ctx context.Context, tx pgx.Tx, ch *olap.DB, m olap.Mirror) (TableCheck, error) {
	tc := TableCheck{Table: m.Table}
	pgCols, err := verifyPGColumns(ctx, tx, m)
	if err != nil {
		return tc, err
	}
	chCols, err := ch.Columns(ctx, m.Table)
	if err != nil {
		return tc, err
	}
	common, problem := verifyCommonColumns(pgCols, chCols)
	tc.Problem = problem
	if len(pgCols) == 0 || len(chCols) == 0 {
		return tc, nil // a table missing on one side: problem says which
	}
	pgQ, chQ, err := ch.ChecksumQueries(m.Table, common)
	if err != nil {
		return tc, err
	}
	if err := tx.QueryRow(ctx, pgQ).Scan(&tc.PGCount, &tc.PGSum); err != nil {
		return tc, fmt.Errorf("postgresql checksum: %w", err)
	}
	var n uint64
	if err := ch.QueryRow(ctx, olap.SQL(chQ)).Scan(&n, &tc.CHSum); err != nil {
		return tc, fmt.Errorf("clickhouse checksum: %w", err)
	}
	tc.CHCount = int64(n)
	tc.OK = problem == "" && tc.PGCount == tc.CHCount && tc.PGSum == tc.CHSum
	if !tc.OK && problem == "" {
		tc.Problem = verifyDescribe(tc)
	}
	return tc, nil
}

// verifyPGColumns lists the table's mirrored columns, in order.
func verifyPGColumns(ctx context.Context, tx pgx.Tx, m olap.Mirror) ([]olap.PGColumn, error) {
	const q = `SELECT
    a.attname,
    format_type(a.atttypid, a.atttypmod),
    NOT a.attnotnull
FROM pg_attribute a
WHERE a.attrelid = to_regclass(quote_ident($1))
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attnum`
	rows, err := tx.Query(ctx, q, m.Table)
	if err != nil {
		return nil, fmt.Errorf("postgresql columns: %w", err)
	}
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (olap.PGColumn, error) {
		var c olap.PGColumn
		return c, r.Scan(&c.Name, &c.Type, &c.Nullable)
	})
	if err != nil {
		return nil, fmt.Errorf("postgresql columns: %w", err)
	}
	var out []olap.PGColumn
	for _, c := range cols {
		if !m.IsExcluded(c.Name) {
			out = append(out, c)
		}
	}
	return out, nil
}

// verifyCommonColumns keeps the PostgreSQL columns ClickHouse has too and
// names those either side lacks.
func verifyCommonColumns(pg []olap.PGColumn, ch []olap.Column) ([]olap.PGColumn, string) {
	inCH := map[string]bool{olap.VersionColumn: true, olap.DeletedColumn: true}
	for _, c := range ch {
		inCH[c.Name] = true
	}
	var common []olap.PGColumn
	var problems []string
	inPG := map[string]bool{olap.VersionColumn: true, olap.DeletedColumn: true}
	for _, c := range pg {
		inPG[c.Name] = true
		if inCH[c.Name] {
			common = append(common, c)
		} else {
			problems = append(problems, "clickhouse lacks column "+c.Name)
		}
	}
	for _, c := range ch {
		if !inPG[c.Name] {
			problems = append(problems, "postgresql lacks column "+c.Name)
		}
	}
	switch {
	case len(pg) == 0:
		problems = []string{"table missing in postgresql"}
	case len(ch) == 0:
		problems = []string{"table missing in clickhouse"}
	}
	return common, strings.Join(problems, "; ")
}

// verifyDescribe says which numbers differ.
func verifyDescribe(tc TableCheck) string {
	if tc.PGCount != tc.CHCount {
		return fmt.Sprintf("row counts differ by %d", tc.CHCount-tc.PGCount)
	}
	return "checksums differ"
}
