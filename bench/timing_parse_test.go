package bench

import (
	"testing"
	"time"
)

// A page's figures are read from its own entries of Server-Timing: the
// age is the "age" entry, not the end of "page" (an earlier parse matched
// "page;dur" and reported the page's time as its answers' age).
func TestPageTimingReadsEachEntry(t *testing.T) {
	st := &pageStats{}
	st.record(pageResult{took: time.Second, timing: `page;dur=900, reports;dur=4000;desc="report runs, summed", ` +
		`clickhouse;dur=3000;desc="ClickHouse, summed", cache;desc="5 of 7 answers cached", age;dur=2500;desc="the oldest answer behind now"`})
	if len(st.ages) != 1 || st.ages[0] != 2500*time.Millisecond {
		t.Errorf("ages %v, want [2.5s]", st.ages)
	}
	if st.reportMS != 4000 || st.chMS != 3000 || st.cached != 5 || st.answers != 7 {
		t.Errorf("report %d ms, ClickHouse %d ms, cached %d of %d; want 4000, 3000, 5 of 7", st.reportMS, st.chMS, st.cached, st.answers)
	}
}
