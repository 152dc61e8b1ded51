package server

import (
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// ReportsReady is the one guard of the handlers that run reports — the
// API's reports, funnels and exports, the pages' reports, builder and
// downloads: 503 reports_unavailable unless eng is a report engine over
// both its stores (ClickHouse for the figures, PostgreSQL for saved
// reports).
func ReportsReady(eng *reports.Engine) error {
	if eng == nil || eng.CH == nil || eng.PG == nil {
		return ReportsUnavailable("the analytics store is not configured")
	}
	return nil
}

// ReportsUnavailable is the 503 reports_unavailable answer with its
// message (a dashboard panel's, when its report failed).
func ReportsUnavailable(message string) error {
	return apperr.New(apperr.Unavailable, "reports_unavailable", message)
}
