package kinds

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/compile"
)

// The money reports' figures open their records (side.go): each figure
// is its part's grouped report, so its drill is that report's drill into
// the row's cell — the invoices of an age bucket, the acts or payments
// of a month.

// Drill lists the records behind one figure: column names the part (the
// total by default, else the first part), cell the row keys (a key left
// out: all of it). It is the part's grouped drill into that cell.
func (sp *sidePlan) Drill(cell map[string]json.RawMessage, column string, opts compile.DrillOptions) (DrillRun, error) {
	parts := sp.all()
	def := parts[0].key
	if sp.spec.total != nil {
		def = sp.spec.total.key
	}
	if column == "" {
		column = def
	}
	at := slices.IndexFunc(parts, func(p sidePart) bool { return p.key == column })
	if at < 0 {
		var allowed []string
		for _, p := range parts {
			allowed = append(allowed, p.key)
		}
		return nil, &apperr.Error{Kind: apperr.Invalid, Code: "unknown_column", Field: "column",
			Message: "no such money column in the report", Details: map[string]any{"allowed": allowed}}
	}
	var keys []string
	for _, k := range sp.spec.keys {
		keys = append(keys, k.key)
	}
	inner := map[string]json.RawMessage{}
	err := eachCellKey(cell, keys, func(k string, raw json.RawMessage) error {
		inner[parts[at].cols[slices.Index(keys, k)]] = raw
		return nil
	})
	if err != nil {
		return nil, err
	}
	pl := sp.plans[at].pl
	return func(ctx context.Context, db *olap.DB) (*DrillResult, error) {
		start := time.Now()
		q, err := pl.Drill(db.Names, sp.p, inner, opts)
		if err != nil {
			return nil, underKey(err, parts[at].cols, keys)
		}
		return runDrill(ctx, db, q, start, sp.now)
	}, nil
}

// underKey names a cell error by the answer's key (cell.month) rather
// than the part's column (cell.signed_at_month).
func underKey(err error, cols, keys []string) error {
	ae := apperr.As(err)
	if ae == nil {
		return err
	}
	for i, c := range cols {
		if ae.Field == "cell."+c {
			e := *ae
			e.Field = "cell." + keys[i]
			return &e
		}
	}
	return err
}
