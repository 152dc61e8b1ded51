package pages

import (
	"fmt"
	"time"

	"github.com/voronka/voronka/reports"
)

// panelTiming is what a panel's report runs cost: summed over the runs
// computed for this request (answers reused from the report cache cost
// nothing now and are counted apart).
type panelTiming struct {
	reportMS, sqlMS int64
	runs, cached    int
	metas           []reports.Meta // every answer's, the panel's period first (the page's facts)
}

// add counts one report answer's meta.
func (pt *panelTiming) add(m reports.Meta) {
	pt.metas = append(pt.metas, m)
	pt.runs++
	if m.Cached {
		pt.cached++
		return
	}
	pt.reportMS += m.ElapsedMS
	pt.sqlMS += m.SQLMS
}

// older is the earlier of two instants, a zero one not counting.
func older(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// oldestAnswer is the data_as_of of the oldest answer on the page (zero
// when no answer says).
func oldestAnswer(panels []panel) time.Time {
	var asOf time.Time
	for _, p := range panels {
		for _, m := range p.timing.metas {
			asOf = older(asOf, m.DataAsOf)
		}
	}
	return asOf
}

// serverTiming is the Server-Timing header of a dashboard page: the
// whole page, the report runs (panels run in parallel, so their sum may
// exceed the page) and their part in ClickHouse, how many answers the
// cache gave, and how far the oldest answer is behind now. The dashboard
// benchmarks read it (BENCHMARKS.md).
func serverTiming(panels []panel, total time.Duration, now time.Time) string {
	var sum panelTiming
	for _, p := range panels {
		sum.reportMS, sum.sqlMS = sum.reportMS+p.timing.reportMS, sum.sqlMS+p.timing.sqlMS
		sum.runs, sum.cached = sum.runs+p.timing.runs, sum.cached+p.timing.cached
	}
	h := fmt.Sprintf(`page;dur=%d, reports;dur=%d;desc="report runs, summed", clickhouse;dur=%d;desc="ClickHouse, summed", cache;desc="%d of %d answers cached"`,
		total.Milliseconds(), sum.reportMS, sum.sqlMS, sum.cached, sum.runs)
	if asOf := oldestAnswer(panels); !asOf.IsZero() {
		h += fmt.Sprintf(`, age;dur=%d;desc="the oldest answer behind now"`, max(now.Sub(asOf), 0).Milliseconds())
	}
	return h
}
