package pages_test

import (
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports/engine"
)

// TestDashboardCacheAndTiming: with the report cache on, a second look
// at the director's dashboard reuses all 10 answers (its 9 panels and
// the won panel's year-earlier line), as its Server-Timing header says, with the
// same figures (dashtest.ReportFixture: 3 deals, 15000 ₽, weighted 10000 ₽ in the
// stage table); a manager gets their own answers, never the director's
// cached ones; every panel says when it was computed (the engine's clock,
// 2025-03-01 00:00 UTC, in Moscow).
func TestDashboardCacheAndTiming(t *testing.T) {
	ts := dashtest.NewReport(t)
	// No stream records the copy's versions here, so answers live for the
	// staleness bound only: an hour, not 2 s a loaded machine may exceed.
	ts.Srv.Reports.Cache = &engine.Cache{TTL: time.Hour, MaxStaleness: time.Hour}
	rows := []struct {
		as, timing      string
		contains, lacks []string
	}{
		{"director", `cache;desc="0 of 10 answers cached"`, []string{"|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|"}, nil},
		{"director", `cache;desc="10 of 10 answers cached"`, []string{"|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|"}, nil},
		{"analyst", `cache;desc="10 of 10 answers cached"`, []string{"|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|"}, nil},
		{"manager", `cache;desc="0 of 6 answers cached"`, []string{"|2||||10\u00a0000,00\u00a0₽||||9\u00a0000,00\u00a0₽|"}, []string{"Секрет", "|3||||15\u00a0000,00\u00a0₽||||10\u00a0000,00\u00a0₽|"}},
		{"manager2", `cache;desc="0 of 6 answers cached"`, []string{"|1||||5\u00a0000,00\u00a0₽||||1\u00a0000,00\u00a0₽|"}, []string{"М-1", "|2||||10\u00a0000,00\u00a0₽||||9\u00a0000,00\u00a0₽|"}},
	}
	for i, r := range rows {
		url := "/dashboards/director"
		if strings.HasPrefix(r.as, "manager") {
			url = "/dashboards/manager"
		}
		status, body, h := ts.PageBody("GET", url, r.as, nil)
		if status != 200 {
			t.Fatalf("%d %s: status %d", i, r.as, status)
		}
		if st := h.Get("Server-Timing"); !strings.Contains(st, r.timing) || !strings.Contains(st, "clickhouse;dur=") || !strings.HasPrefix(st, "page;dur=") {
			t.Errorf("%d %s: Server-Timing %q, want %s", i, r.as, st, r.timing)
		}
		text := tableText(body)
		for _, c := range append(r.contains, "Рассчитано 01.03.2025 03:00:00") {
			if !strings.Contains(text, c) {
				t.Errorf("%d %s: page lacks %q", i, r.as, c)
			}
		}
		for _, c := range r.lacks {
			if strings.Contains(text, c) {
				t.Errorf("%d %s: page shows %q", i, r.as, c)
			}
		}
	}
}
