package ingest

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// How a relation's columns meet its ClickHouse mirror (docs/ingest.md
// lists every DDL): a Relation message carries each column's type as it
// was when the rows after it were written, so before writing rows of a
// new relation version the writer reconciles the mirror with it once.

// plan is how rows of one relation version are written.
type plan struct {
	cols []int // the relation's columns ClickHouse takes, in order
	// wider maps a column to the wider ClickHouse type its values are
	// converted to (the mirror was widened by a later relation version).
	wider map[int]string
	// trouble, when set, says why the rows cannot be written as they are:
	// the table must be rebuilt from a snapshot (see rebuild.go).
	trouble string
}

// plan reconciles the mirror of t with its relation (cached per relation
// version): a column ClickHouse lacks is added (old rows read
// PostgreSQL's fast default), a type widened in place when that keeps
// every value, a column PostgreSQL dropped since is left out. Anything
// else — a type that cannot be converted in place, a column whose old
// rows got per-row values — is trouble. While loading (w.loading: every
// row of the table is being written anyway) an unsafe type is replaced:
// the column is dropped and added again.
func (w *writer) plan(ctx context.Context, t *table) (*plan, error) {
	if p, ok := w.plans[t]; ok {
		return p, nil
	}
	have, err := w.chColumns(ctx, t.name())
	if err != nil {
		return nil, err
	}
	pgCols, err := w.catalog.relationColumns(ctx, t)
	if err != nil {
		return nil, err
	}
	p := &plan{wider: map[int]string{}}
	for i, c := range t.rel.Columns {
		pc := pgCols[i]
		want, err := olap.CHType(pc.Type, pc.Nullable)
		if err != nil {
			p.trouble = fmt.Sprintf("column %s: %v", c.Name, err)
			break
		}
		if h := have[c.Name]; h != "" && !olap.Holds(h, want) && containsString(t.mirror.OrderBy, c.Name) {
			p.trouble = fmt.Sprintf("sorting key column %s changed type from %s to %s: ClickHouse cannot alter it", c.Name, h, want)
			break
		}
		keep, trouble, err := w.reconcileColumn(ctx, t.name(), pc, have[c.Name], want)
		if err != nil {
			return nil, err
		}
		if trouble != "" {
			p.trouble = trouble
			break
		}
		if keep {
			p.cols = append(p.cols, i)
		}
		if h := have[c.Name]; h != "" && olap.BaseType(h) != olap.BaseType(want) && olap.Holds(h, want) {
			p.wider[i] = olap.BaseType(h)
		}
	}
	if p.trouble == "" { // trouble is looked at again once the table is rebuilt
		w.plans[t] = p
	}
	return p, nil
}

// reconcileColumn brings one ClickHouse column (of type have, "" when
// absent) to want; keep is false for a column to leave out of inserts.
func (w *writer) reconcileColumn(ctx context.Context, table string, pc pgColumn, have, want string) (keep bool, trouble string, err error) {
	switch {
	case have == "" && !pc.Exists:
		return false, "", nil // dropped in PostgreSQL since: the poller drops it in ClickHouse
	case have == "":
		trouble, err := w.addColumn(ctx, table, pc, want)
		return trouble == "", trouble, err
	case olap.Holds(have, want):
		return true, "", nil
	case olap.Widens(have, want):
		to := olap.WidenedType(have, want)
		if err := w.ch.ModifyColumn(ctx, table, pc.Name, to); err != nil {
			return false, "", err
		}
		w.log.Info("ingest: widened column", "table", table, "column", pc.Name, "from", have, "to", to)
		return true, "", nil
	case w.loading:
		if err := w.ch.DropColumn(ctx, table, pc.Name); err != nil {
			return false, "", err
		}
		w.log.Info("ingest: replaced column", "table", table, "column", pc.Name, "from", have, "to", want)
		return true, "", w.ch.AddColumn(ctx, table, pc.Name, want)
	}
	return false, fmt.Sprintf("column %s changed type from %s to %s, which cannot be converted in place", pc.Name, have, want), nil
}

// addColumn adds a column PostgreSQL has and ClickHouse lacks. Rows
// already in ClickHouse read the value PostgreSQL gives rows older than
// the column (its fast default: ADD COLUMN … DEFAULT 7), or NULL; a
// column whose old rows were each given a value of their own (a volatile
// default: the table was rewritten) is trouble.
func (w *writer) addColumn(ctx context.Context, table string, pc pgColumn, chType string) (string, error) {
	var def any
	switch {
	case w.loading:
	case pc.Missing != nil:
		v, err := decodeText(pc.TypeOID, []byte(*pc.Missing))
		if err != nil {
			return "", fmt.Errorf("default of %s.%s: %w", table, pc.Name, err)
		}
		if d, ok := v.(decimal.Decimal); ok {
			v = d.String()
		}
		def = v
	case pc.HasDefault:
		return fmt.Sprintf("column %s was added with a default computed for each row", pc.Name), nil
	}
	if err := w.ch.AddColumnDefault(ctx, table, pc.Name, chType, def); err != nil {
		return "", err
	}
	w.log.Info("ingest: added column", "table", table, "column", pc.Name, "type", chType, "default", def)
	return "", nil
}

// chColumns reads the ClickHouse columns of a table: name → type.
func (w *writer) chColumns(ctx context.Context, tbl string) (map[string]string, error) {
	cols, err := w.ch.Columns(ctx, tbl)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		name, err := w.ch.Checked(tbl)
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("clickhouse table %s does not exist (run voronka migrate)", name)
	}
	out := make(map[string]string, len(cols))
	for _, c := range cols {
		out[c.Name] = c.Type
	}
	return out, nil
}

// widen converts a value to the wider ClickHouse type base (plan.wider).
func widen(v any, base string) any {
	switch x := v.(type) {
	case int16:
		if base == "Int32" {
			return int32(x)
		}
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	}
	return v
}

// forgetPlans makes the next rows of every relation reconcile again
// (the mirror's columns were changed behind the cached plans).
func (w *writer) forgetPlans() { clear(w.plans) }
