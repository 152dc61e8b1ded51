package pages_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/engine"
)

// TestPagePeriodAndComputed: a dashboard, a standard report and a
// builder preview each say the period in force in words and when the
// page was computed (Moscow time, between the request's start and end).
func TestPagePeriodAndComputed(t *testing.T) {
	ts := dashtest.NewReport(t)
	moscow := time.FixedZone("MSK", 3*3600)
	for _, c := range []struct{ name, url, period string }{
		{"a dashboard's range", "/dashboards/director?from=2025-01-10&to=2025-03-31", "Период: 10 января – 31 марта 2025"},
		{"in English", "/dashboards/activity?from=2024-12-01&to=2025-01-31&lang=en", "Period: 1 December 2024 – 31 January 2025"},
		// this year at the engine's clock, 1 March 2025: the whole year.
		{"the preset", "/dashboards/manager", "Период: 1 января – 31 декабря 2025"},
		{"a standard report", "/reports/deals_by_source?from=2025-01-01&to=2025-01-31", "Период: 1 января – 31 января 2025"},
		{"one day", "/reports/deals_by_source?from=2025-01-15&to=2025-01-15", "Период: 15 января 2025"},
		{"a builder preview", "/reports/new?dataset=deals&dim1=responsible_name&measure1=count&chart=bar&period=previous_month", "Период: 1 февраля – 28 февраля 2025"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := time.Now().Truncate(time.Second)
			status, body, _ := ts.PageBody("GET", c.url, "analyst", nil)
			after := time.Now()
			if status != 200 {
				t.Fatalf("status %d", status)
			}
			text := tableText(body)
			if !strings.Contains(text, "|"+c.period+"|") {
				t.Errorf("no %q: %s", c.period, text)
			}
			m := regexp.MustCompile(`id="page-computed">(Рассчитано|Computed) ([0-9.-]+ [0-9:]+)<`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no computed-at time: %s", text)
			}
			layout := "02.01.2006 15:04:05"
			if m[1] == "Computed" {
				layout = "2006-01-02 15:04:05"
			}
			at, err := time.ParseInLocation(layout, m[2], moscow)
			if err != nil || at.Before(before) || at.After(after) {
				t.Errorf("computed at %q (%v), want between %s and %s", m[2], err, before, after)
			}
		})
	}
}

// TestFreshnessHeader: the header shows the oldest answer's data time
// and age, and turns to a warning past the staleness bound (here an
// hour). The copy's reach is set by hand (as ingest records it): first
// three hours old — every answer that old, a warning; then 90 seconds
// old — no warning; then, with only the activities changed again, ten
// seconds old: the answers over activities (leaderboard, heatmap) are
// served from the cache as of 90 seconds ago while the others move on,
// and the header shows the older.
func TestFreshnessHeader(t *testing.T) {
	ts := dashtest.NewActivity(t)
	d := ts.Srv.Deps
	ch := d.Reports.CH
	d.Reports = &engine.Engine{CH: ch, Now: d.Reports.Now, Cache: &engine.Cache{MaxStaleness: time.Hour, TTL: time.Hour}}
	ts.Srv = dashboards.New(d)
	var all []string
	for _, m := range olap.Mirrors() {
		all = append(all, m.Table)
	}
	all = append(all, "deal_paths")
	moscow := time.FixedZone("MSK", 3*3600)
	reach := func(tables []string, version uint64, age time.Duration) string {
		t.Helper()
		at := time.Now().Add(-age).Truncate(time.Second)
		if err := ch.WriteWatermarks(context.Background(), tables, version, at); err != nil {
			t.Fatal(err)
		}
		time.Sleep(250 * time.Millisecond) // the engine rereads the copy's reach every 100 ms
		return at.In(moscow).Format("02.01.2006 15:04:05")
	}
	fresh := func() (string, string) {
		t.Helper()
		status, body, _ := ts.PageBody("GET", "/dashboards/director", "director", nil)
		m := regexp.MustCompile(`<span class="(fresh[^"]*)" id="fresh"[^>]*>([^<]*)<`).FindStringSubmatch(body)
		if status != 200 || m == nil {
			t.Fatalf("status %d, no freshness in the header: %s", status, tableText(body))
		}
		return m[1], m[2]
	}

	old := reach(all, 1, 3*time.Hour)
	if class, text := fresh(); class != "fresh stale" || text != "Данные устарели: на "+old+" (3\u00a0ч назад, допустимо 1\u00a0ч)" {
		t.Errorf("three hours behind: class %q, %q; want a warning as of %s", class, text, old)
	}
	mid := reach(all, 2, 90*time.Second)
	if class, text := fresh(); class != "fresh" || text != "Данные на "+mid+" (1\u00a0мин назад)" {
		t.Errorf("90 s behind: class %q, %q; want no warning, as of %s", class, text, mid)
	}
	now := reach([]string{"activities"}, 3, 10*time.Second)
	status, body, _ := ts.PageBody("GET", "/dashboards/director", "director", nil)
	if status != 200 || !strings.Contains(body, "Рассчитано "+now) || !strings.Contains(body, "Рассчитано "+mid) {
		t.Fatalf("want panels as of %s and as of %s: %s", now, mid, tableText(body))
	}
	if class, text := fresh(); class != "fresh" || text != "Данные на "+mid+" (1\u00a0мин назад)" {
		t.Errorf("answers as of %s and %s: class %q, %q; want the older", mid, now, class, text)
	}
}

// streamStatus is a change stream's status as the server reads it
// (IngestMonitor), fixed: the tables a schema change put in trouble.
type streamStatus struct{ trouble []string }

func (s streamStatus) Status() any {
	var ts []map[string]any
	for _, t := range s.trouble {
		ts = append(ts, map[string]any{"table": t, "reason": "type_changed", "since": time.Now()})
	}
	return map[string]any{"lag_seconds": 0.4, "tables_in_trouble": ts}
}

func (streamStatus) Healthy() error { return nil }

// TestHeaderNamesTablesInTrouble: while the change stream rebuilds
// tables whose schema changed (ingest's tables_in_trouble), every page's
// header warns, naming them in the reader's words; with none, no warning.
func TestHeaderNamesTablesInTrouble(t *testing.T) {
	ts := dashtest.NewReport(t)
	d := ts.Srv.Deps
	for _, c := range []struct {
		trouble []string
		lang    string
		want    string
	}{
		{nil, "ru", ""},
		{[]string{"deals", "stage_changes"}, "ru", "Отстают данные: сделки, история стадий — схема изменилась, копия перестраивается"},
		{[]string{"payments"}, "en", "Behind: payments — the schema changed, the copy is being rebuilt"},
	} {
		d.Ingest = streamStatus{c.trouble}
		ts.Srv = dashboards.New(d)
		for _, page := range []string{"/dashboards/director", "/reports", "/kanban/sales"} {
			status, body, _ := ts.PageBody("GET", page+"?lang="+c.lang, "director", nil)
			m := regexp.MustCompile(`<span class="fresh stale" id="trouble" role="alert">([^<]*)<`).FindStringSubmatch(body)
			switch {
			case status != 200:
				t.Errorf("%s: status %d", page, status)
			case c.want == "" && m != nil:
				t.Errorf("%s with no table in trouble warns %q", page, m[1])
			case c.want != "" && (m == nil || m[1] != c.want):
				t.Errorf("%s with %v in trouble: header %v, want %q", page, c.trouble, m, c.want)
			}
		}
	}
}
