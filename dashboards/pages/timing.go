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

// serverTiming is the Server-Timing header of a dashboard page: the
// whole page, the report runs (panels run in parallel, so their sum may
// exceed the page) and their part in ClickHouse, and how many answers
// the cache gave. The dashboard benchmark reads it (BENCHMARKS.md).
func serverTiming(panels []panel, total time.Duration) string {
	var sum panelTiming
	for _, p := range panels {
		sum.reportMS, sum.sqlMS = sum.reportMS+p.timing.reportMS, sum.sqlMS+p.timing.sqlMS
		sum.runs, sum.cached = sum.runs+p.timing.runs, sum.cached+p.timing.cached
	}
	return fmt.Sprintf(`page;dur=%d, reports;dur=%d;desc="report runs, summed", clickhouse;dur=%d;desc="ClickHouse, summed", cache;desc="%d of %d answers cached"`,
		total.Milliseconds(), sum.reportMS, sum.sqlMS, sum.cached, sum.runs)
}
