package olap

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Column is one column of a ClickHouse table as system.columns shows it.
type Column struct {
	Name string
	Type string // e.g. "Nullable(Decimal(18, 2))"
}

// Columns lists table's columns in their order; an unknown table has none.
func (db *DB) Columns(ctx context.Context, table string) ([]Column, error) {
	const q = `SELECT
    name,
    type
FROM system.columns
WHERE database = ? AND table = ?`
	rows, err := db.Query(ctx, SQL(q, db.Database, table))
	if err != nil {
		return nil, fmt.Errorf("columns of clickhouse %s: %w", table, err)
	}
	defer rows.Close()
	var out []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Name, &c.Type); err != nil {
			return nil, fmt.Errorf("columns of clickhouse %s: %w", table, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// chTypeRE is the set of column types AddColumn accepts: what CHType
// produces, optionally Nullable. The type is pasted into DDL, so nothing
// else gets through.
var chTypeRE = regexp.MustCompile(`^(Nullable\()?(U?Int(8|16|32|64)|Float(32|64)|String|UUID|Date|DateTime|DateTime\('UTC'\)|Decimal\(\d{1,2}, \d{1,2}\))(\))?$`)

func validCHType(t string) bool {
	m := chTypeRE.FindStringSubmatch(t)
	return m != nil && (m[1] == "") == (m[5] == "")
}

// AddColumn adds column name of type chType (as CHType returns it) to
// table unless it exists already with that type; an existing column of
// another type is an error. ClickHouse 18.16 has no ADD COLUMN IF NOT
// EXISTS, so existence is checked first and re-checked if two writers
// raced.
func (db *DB) AddColumn(ctx context.Context, table, name, chType string) error {
	qualified, err := db.Checked(table)
	if err != nil {
		return err
	}
	if !validIdent(name) {
		return fmt.Errorf("clickhouse column %q: want letters, digits and _", name)
	}
	if !validCHType(chType) {
		return fmt.Errorf("clickhouse column %s.%s: type %q is not a mirror type", table, name, chType)
	}
	if done, err := db.hasColumn(ctx, table, name, chType); done || err != nil {
		return err
	}
	alterErr := db.DDL(ctx, SQL("ALTER TABLE "+qualified+" ADD COLUMN "+name+" "+chType))
	if done, err := db.hasColumn(ctx, table, name, chType); done || err != nil {
		return err
	}
	if alterErr == nil {
		alterErr = errors.New("column not listed after ALTER")
	}
	return fmt.Errorf("add column %s.%s: %w", table, name, alterErr)
}

// hasColumn is true when the column exists with type want, and an error
// when it exists with another type.
func (db *DB) hasColumn(ctx context.Context, table, name, want string) (bool, error) {
	cols, err := db.Columns(ctx, table)
	if err != nil {
		return false, err
	}
	for _, c := range cols {
		if c.Name == name && c.Type == want {
			return true, nil
		}
		if c.Name == name {
			return false, fmt.Errorf("clickhouse column %s.%s is %s, not %s", table, name, c.Type, want)
		}
	}
	return false, nil
}

// AllColumns lists the columns of every table of the database: table →
// column → type.
func (db *DB) AllColumns(ctx context.Context) (map[string]map[string]string, error) {
	const q = `SELECT
    table,
    name,
    type
FROM system.columns
WHERE database = ?`
	out := map[string]map[string]string{}
	err := db.Each(ctx, "clickhouse columns", SQL(q, db.Database), func(scan func(...any) error) error {
		var table, name, typ string
		if err := scan(&table, &name, &typ); err != nil {
			return err
		}
		if db.cluster != "" && strings.HasSuffix(table, localSuffix) {
			return nil // a shard's part of the Distributed table listed too
		}
		if out[table] == nil {
			out[table] = map[string]string{}
		}
		out[table][name] = typ
		return nil
	})
	return out, err
}
