package olap

import (
	"context"
	"fmt"
	"strings"
)

// Schema changes ingest makes to a mirror table when its PostgreSQL table
// changes (docs/ingest.md lists what each DDL does). Every one is
// ALTER TABLE … ADD/MODIFY/DROP COLUMN on a MergeTree table, which
// ClickHouse 18.16 and current releases both accept; none of them has an
// IF [NOT] EXISTS form in 18.16, so each looks first and is idempotent.

// widening lists the in-place conversions that keep every value: what a
// PostgreSQL ALTER COLUMN … TYPE without USING does to the same values.
var widening = map[string][]string{
	"Int16":   {"Int32", "Int64"},
	"Int32":   {"Int64"},
	"Float32": {"Float64"},
}

// Widens reports whether a column of ClickHouse type from can be changed
// to type to in place (ALTER TABLE … MODIFY COLUMN) without changing any
// value: a wider integer or float, or the same type made Nullable. A
// Nullable column never needs narrowing to hold non-NULL values, so
// Nullable(T) → T needs nothing (Holds); anything else (int →
// text, numeric scale changes, …) needs the rows again from PostgreSQL.
func Widens(from, to string) bool {
	fb, _ := splitNullable(from)
	tb, tn := splitNullable(to)
	if !tn && from != fb { // keep a Nullable column Nullable
		tn = true
	}
	if fb == tb {
		return tn
	}
	for _, w := range widening[fb] {
		if w == tb {
			return true
		}
	}
	return false
}

// Holds reports whether a column of type have holds every value of
// type want unchanged: the same type or a wider one (what Widens
// allows), Nullable where want is. Nullable(T) holds T.
func Holds(have, want string) bool {
	hb, hn := splitNullable(have)
	wb, wn := splitNullable(want)
	if wn && !hn {
		return false
	}
	if hb == wb {
		return true
	}
	for _, w := range widening[wb] {
		if w == hb {
			return true
		}
	}
	return false
}

// BaseType is t without Nullable.
func BaseType(t string) string {
	b, _ := splitNullable(t)
	return b
}

// WidenedType is the type a column of type have is modified to for want:
// want, kept Nullable when have was.
func WidenedType(have, want string) string {
	_, hn := splitNullable(have)
	wb, _ := splitNullable(want)
	if hn {
		return "Nullable(" + wb + ")"
	}
	return want
}

func splitNullable(t string) (string, bool) {
	if strings.HasPrefix(t, "Nullable(") && strings.HasSuffix(t, ")") {
		return t[len("Nullable(") : len(t)-1], true
	}
	return t, false
}

// ModifyColumn changes column name of table to chType in place (a
// conversion Widens allows; ClickHouse rewrites the column's parts).
func (db *DB) ModifyColumn(ctx context.Context, table, name, chType string) error {
	qualified, err := db.checkedColumn(table, name, chType)
	if err != nil {
		return err
	}
	if done, err := db.columnIs(ctx, table, name, chType); done || err != nil {
		return err
	}
	if err := db.DDL(ctx, SQL("ALTER TABLE "+qualified+" MODIFY COLUMN "+name+" "+chType)); err != nil {
		return fmt.Errorf("modify column %s.%s to %s: %w", table, name, chType, err)
	}
	return nil
}

// DropColumn removes column name from table, if it is there.
func (db *DB) DropColumn(ctx context.Context, table, name string) error {
	qualified, err := db.Checked(table)
	if err != nil {
		return err
	}
	if !validIdent(name) || name == VersionColumn || name == DeletedColumn {
		return fmt.Errorf("clickhouse column %q cannot be dropped", name)
	}
	cols, err := db.Columns(ctx, table)
	if err != nil {
		return err
	}
	for _, c := range cols {
		if c.Name == name {
			if err := db.DDL(ctx, SQL("ALTER TABLE "+qualified+" DROP COLUMN "+name)); err != nil {
				return fmt.Errorf("drop column %s.%s: %w", table, name, err)
			}
			return nil
		}
	}
	return nil
}

// AddColumnDefault adds column name of type chType whose value in every
// row already there (and every later insert that leaves it out) is def:
// ALTER TABLE … ADD COLUMN … DEFAULT, which costs no rewrite. def is a Go
// value as Insert takes it, bound by the driver as a literal.
func (db *DB) AddColumnDefault(ctx context.Context, table, name, chType string, def any) error {
	qualified, err := db.checkedColumn(table, name, chType)
	if err != nil {
		return err
	}
	if done, err := db.hasColumn(ctx, table, name, chType); done || err != nil {
		return err
	}
	// CAST keeps the literal's type the column's (7 would be UInt8).
	q := SQL("ALTER TABLE "+qualified+" ADD COLUMN "+name+" "+chType+" DEFAULT CAST(? AS "+chType+")", def)
	if def == nil {
		q = SQL("ALTER TABLE " + qualified + " ADD COLUMN " + name + " " + chType)
	}
	if err := db.DDL(ctx, q); err != nil {
		return fmt.Errorf("add column %s.%s: %w", table, name, err)
	}
	return nil
}

func (db *DB) checkedColumn(table, name, chType string) (string, error) {
	qualified, err := db.Checked(table)
	if err != nil {
		return "", err
	}
	if !validIdent(name) {
		return "", fmt.Errorf("clickhouse column %q: want letters, digits and _", name)
	}
	if !validCHType(chType) {
		return "", fmt.Errorf("clickhouse column %s.%s: type %q is not a mirror type", table, name, chType)
	}
	return qualified, nil
}

// columnIs is true when the column exists with type want; a missing
// column is an error.
func (db *DB) columnIs(ctx context.Context, table, name, want string) (bool, error) {
	cols, err := db.Columns(ctx, table)
	if err != nil {
		return false, err
	}
	for _, c := range cols {
		if c.Name == name {
			return c.Type == want, nil
		}
	}
	return false, fmt.Errorf("clickhouse %s has no column %s", table, name)
}
