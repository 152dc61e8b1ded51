package server

import (
	"context"
	"slices"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

// ReportsReady is the one guard of the handlers that run reports — the
// API's reports, funnels and exports, the pages' reports, builder and
// downloads: 503 reports_unavailable unless eng is a report engine over
// ClickHouse and, for the handlers that read the catalog and the saved
// reports, the library (lib, PostgreSQL) is there too.
func ReportsReady(eng *engine.Engine, lib ...*saved.Store) error {
	if eng == nil || eng.CH == nil || slices.Contains(lib, nil) {
		return ReportsUnavailable("the analytics store is not configured")
	}
	return nil
}

// ReportsUnavailable is the 503 reports_unavailable answer with its
// message (a dashboard panel's, when its report failed).
func ReportsUnavailable(message string) error {
	return apperr.New(apperr.Unavailable, "reports_unavailable", message)
}

// RunReport runs the standard or saved report p may see by id on eng;
// from and to (dates or RFC 3339 times, both or neither) override its
// period.
func RunReport(ctx context.Context, eng *engine.Engine, lib *saved.Store, p domain.Principal, id, from, to string) (*reports.Result, error) {
	_, def, err := lib.Definition(ctx, p, id, from, to)
	if err != nil {
		return nil, err
	}
	return eng.Run(ctx, p, &def)
}
