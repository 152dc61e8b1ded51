package pages

import (
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/reports"
)

// The Server-Timing header says how far the oldest answer on the page is
// behind now: of answers as of 12:00:09 and 12:00:04 (the latter in the
// second panel) at 12:00:10, 6 s; answers that say nothing do not count,
// and a page of such answers has no age.
func TestServerTimingAge(t *testing.T) {
	at := func(s int) time.Time { return time.Date(2026, 12, 3, 12, 0, s, 0, time.UTC) }
	var a, b, none panel
	a.timing.add(reports.Meta{DataAsOf: at(9)})
	a.timing.add(reports.Meta{})
	b.timing.add(reports.Meta{DataAsOf: at(4), Cached: true})
	b.timing.add(reports.Meta{DataAsOf: at(8)})
	none.timing.add(reports.Meta{})
	if h := serverTiming([]panel{a, b, none}, time.Second, at(10)); !strings.Contains(h, `age;dur=6000;`) || !strings.Contains(h, `cache;desc="1 of 5 answers cached"`) {
		t.Errorf("header %q: want age 6000 ms, 1 of 5 cached", h)
	}
	if h := serverTiming([]panel{none}, time.Second, at(10)); strings.Contains(h, ", age;") {
		t.Errorf("header %q: no answer said its age", h)
	}
}
