package kinds

import (
	"context"
	"time"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// Funnel runs the planned funnel on db in its mode and labels its
// groups; every query ANDs the principal's access condition in.
func (fp *FunnelPlan) Funnel(ctx context.Context, db *olap.DB) (*reports.Funnel, error) {
	start := time.Now()
	r, err := fp.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	var f *reports.Funnel
	if r.mode == reports.ModeCurrent {
		f, err = r.currentFunnel(ctx)
	} else {
		f, err = r.reachedFunnel(ctx)
	}
	if err != nil {
		return nil, err
	}
	if err := labelGroups(ctx, db, r.breakdown, f.Breakdown); err != nil {
		return nil, err
	}
	f.Meta = reports.Meta{ElapsedMS: time.Since(start).Milliseconds(), RowCount: len(f.Steps), DataAsOf: r.now,
		From: f.From, To: f.To, SQLMS: r.sqlTime.Milliseconds()}
	return f, nil
}

// funnelDeals is the run's deal set keyed by the breakdown (if any).
func (r *run) funnelDeals() dealSet {
	if b := r.breakdown; b != nil {
		return r.deals(b.Expr, b.Joins)
	}
	return r.deals("", nil)
}
