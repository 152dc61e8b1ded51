package pages

import (
	"context"
	"fmt"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// rowsNote says, for a report whose rows were cut off, that the page
// shows a first part, of how many rows in all, and whether its XLSX
// holds them: every row without a limit of the report's own; only as
// many with one ("" when nothing was cut).
func (s *handlers) rowsNote(ctx context.Context, d *pageData, def *reports.Definition, res *reports.Result) string {
	if res == nil || !res.Meta.Truncated {
		return ""
	}
	shown := len(res.Rows)
	n, more, err := s.countRows(ctx, d.User, def)
	total := countText(d.Lang, n)
	switch {
	case err != nil:
		total = d.T("bld_rows_unknown")
	case more:
		total = fmt.Sprintf(d.T("bld_rows_more"), total)
	}
	first := countText(d.Lang, shown)
	switch def.Limit {
	case 0:
		return fmt.Sprintf(d.T("bld_rows_first"), first, total)
	case builtLimit:
		return fmt.Sprintf(d.T("bld_rows_built"), first, total)
	}
	return fmt.Sprintf(d.T("bld_rows_limited"), first, total)
}

// countRows counts the rows of def's whole answer (up to MaxLimit, more
// when the count stops there) by streaming them as an export would,
// keeping none.
func (s *handlers) countRows(ctx context.Context, p domain.Principal, def *reports.Definition) (int, bool, error) {
	all := *def
	all.Limit = reports.MaxLimit
	var rc rowCounter
	res, err := s.Reports.Export(ctx, p, &all, &rc)
	if err != nil {
		return 0, false, err
	}
	return rc.n, res.Meta.Truncated, nil
}

// rowCounter is a RowSink that only counts.
type rowCounter struct{ n int }

func (rc *rowCounter) Begin([]reports.Column, reports.Meta) error { return nil }
func (rc *rowCounter) Row([]any) error                            { rc.n++; return nil }
