package olap

import (
	"fmt"
	"regexp"
)

// Names qualifies the tables of one ClickHouse database in SQL text. It
// is a plain value: the compiler builds SQL with it without a
// connection. Every table Voronka reads or writes is named through it
// (Table), so the database, and later a cluster's table layout, is
// decided in one place.
type Names struct {
	Database string
}

// NewNames checks database (letters, digits and _) and names its tables.
func NewNames(database string) (Names, error) {
	if !validIdent(database) {
		return Names{}, fmt.Errorf("clickhouse database %q: want letters, digits and _", database)
	}
	return Names{Database: database}, nil
}

// Table is the qualified name of table, for SQL text. Table names are
// constants of the code or mirror names ingest checked against Mirrors;
// anything else is a bug, and Table panics on it rather than paste it.
func (n Names) Table(table string) string {
	if !validIdent(table) {
		panic(fmt.Sprintf("olap: table name %q is not an identifier", table))
	}
	return n.Database + "." + table
}

// Current is the text of the current state of a mirror table: the
// columns cols (SQL written in code) of its rows FINAL, not deleted.
func (n Names) Current(table, cols string) string {
	return "SELECT " + cols + " FROM " + n.Table(table) + " FINAL WHERE " + DeletedColumn + " = 0"
}

// Checked is Table for a name that arrives at run time (a relation
// ingest received, a caller's argument): an error instead of a panic
// when it is not an identifier.
func (n Names) Checked(table string) (string, error) {
	if !validIdent(table) {
		return "", fmt.Errorf("clickhouse table %q: want letters, digits and _", table)
	}
	return n.Database + "." + table, nil
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// validIdent accepts the identifiers that need no quoting in either
// ClickHouse or PostgreSQL.
func validIdent(s string) bool { return identRE.MatchString(s) }
