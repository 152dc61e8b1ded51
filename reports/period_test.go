package reports

import (
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/internal/apperr"
)

func TestPeriodResolve(t *testing.T) {
	// Wednesday 2026-04-15 01:30 in Moscow = Tuesday 2026-04-14 22:30 UTC:
	// "today" must be the Moscow day, not the UTC one.
	now := time.Date(2026, 4, 14, 22, 30, 0, 0, time.UTC)
	msk := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(-3 * time.Hour)
	}
	cases := []struct {
		p        Period
		from, to time.Time
	}{
		{Period{Preset: "today"}, msk(2026, 4, 15), msk(2026, 4, 16)},
		{Period{Preset: "yesterday"}, msk(2026, 4, 14), msk(2026, 4, 15)},
		{Period{Preset: "this_week"}, msk(2026, 4, 13), msk(2026, 4, 20)},
		{Period{Preset: "last_week"}, msk(2026, 4, 6), msk(2026, 4, 13)},
		{Period{Preset: "this_month"}, msk(2026, 4, 1), msk(2026, 5, 1)},
		{Period{Preset: "previous_month"}, msk(2026, 3, 1), msk(2026, 4, 1)},
		{Period{Preset: "this_quarter"}, msk(2026, 4, 1), msk(2026, 7, 1)},
		{Period{Preset: "previous_quarter"}, msk(2026, 1, 1), msk(2026, 4, 1)},
		{Period{Preset: "this_year"}, msk(2026, 1, 1), msk(2027, 1, 1)},
		{Period{Preset: "previous_year"}, msk(2025, 1, 1), msk(2026, 1, 1)},
		{Period{Preset: "last_30_days"}, msk(2026, 3, 17), msk(2026, 4, 16)},
		{Period{Preset: "last_1_days"}, msk(2026, 4, 15), msk(2026, 4, 16)},
		{Period{From: "2026-01-01", To: "2026-01-31"}, msk(2026, 1, 1), msk(2026, 2, 1)},
		{Period{From: "2026-01-01T00:00:00Z", To: "2026-01-02T00:00:00Z"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		{Period{Preset: "today", TZ: "Asia/Vladivostok"}, time.Date(2026, 4, 14, 14, 0, 0, 0, time.UTC), time.Date(2026, 4, 15, 14, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		r, err := c.p.Resolve(now, "period")
		if err != nil {
			t.Errorf("%+v: %v", c.p, err)
			continue
		}
		if !r.From.Equal(c.from) || !r.To.Equal(c.to) {
			t.Errorf("%+v: [%s, %s), want [%s, %s)", c.p, r.From, r.To, c.from, c.to)
		}
	}
}

func TestPeriodErrors(t *testing.T) {
	now := time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)
	cases := map[string]Period{
		"period.preset": {Preset: "next_century"},
		"period.tz":     {Preset: "today", TZ: "Mars/Olympus"},
		"period.from":   {From: "31.01.2026", To: "2026-02-01"},
		"period.to":     {From: "2026-02-01", To: "2026-01-01"},
		"period":        {From: "2026-02-01"},
	}
	for field, p := range cases {
		_, err := p.Resolve(now, "period")
		if e := apperr.As(err); e == nil || e.Field != field || e.Kind != apperr.Invalid {
			t.Errorf("%+v: error %v, want 422 on %s", p, err, field)
		}
	}
	if _, err := (Period{Preset: "today", From: "2026-01-01"}).Resolve(now, "period"); err == nil {
		t.Error("preset with from accepted")
	}
}

// TestPeriodStoredDays: a period reaching outside 1970-01-01 – 2105-12-31
// (read in its zone) is refused on field "period", not answered with
// zeros; the days at the edges are accepted, narrowed to the instants
// ClickHouse holds. ClickHouse 18.16 counted nothing for a bound on
// 2106-01-01 or later, and 1900 read as 1899-12-31T21:29:43Z (LMT).
func TestPeriodStoredDays(t *testing.T) {
	now := time.Date(2026, 4, 14, 12, 0, 0, 0, time.UTC)
	refused := []Period{
		{From: "1900-01-01", To: "2999-12-31"},
		{From: "2026-01-01", To: "2106-02-06"},
		{From: "2026-01-01", To: "2106-01-01"},
		{From: "1969-12-31", To: "2026-01-01"},
		{From: "1971-01-01", To: "2999-12-31"},
		{From: "2026-01-01T00:00:00Z", To: "2106-01-01T00:00:01Z"},
		{From: "1969-12-31T23:59:59Z", To: "2026-01-01T00:00:00Z"},
		{From: "2026-01-01", To: "2106-02-06", TZ: "UTC"},
	}
	for _, p := range refused {
		_, err := p.Resolve(now, "period")
		e := apperr.As(err)
		if e == nil || e.Field != "period" || e.Kind != apperr.Invalid || e.Code != CodeOutOfRange ||
			!strings.Contains(e.Message, "1970-01-01") || !strings.Contains(e.Message, "2105-12-31") {
			t.Errorf("%+v: error %v, want 422 %s on period naming the days", p, err, CodeOutOfRange)
		}
	}
	epoch, end := time.Unix(0, 0).UTC(), time.Date(2106, 1, 1, 0, 0, 0, 0, time.UTC)
	accepted := []struct {
		p        Period
		from, to time.Time
	}{
		// Moscow's 1970-01-01 starts at 1969-12-31T21:00Z: nothing is stored before the epoch.
		{Period{From: "1970-01-01", To: "2105-12-31"}, epoch, time.Date(2105, 12, 31, 21, 0, 0, 0, time.UTC)},
		// New York's 2105-12-31 ends at 2106-01-01T05:00Z: nothing is stored from 2106 on.
		{Period{From: "2105-12-01", To: "2105-12-31", TZ: "America/New_York"}, time.Date(2105, 12, 1, 5, 0, 0, 0, time.UTC), end},
		{Period{From: "1970-01-01T00:00:00Z", To: "2106-01-01T00:00:00Z"}, epoch, end},
	}
	for _, c := range accepted {
		r, err := c.p.Resolve(now, "period")
		if err != nil || !r.From.Equal(c.from) || !r.To.Equal(c.to) {
			t.Errorf("%+v: [%s, %s) %v, want [%s, %s)", c.p, r.From, r.To, err, c.from, c.to)
		}
	}
	if _, err := (Period{From: "2026-02-01", To: "2026-01-01"}).Resolve(now, "period"); apperr.As(err) == nil || apperr.As(err).Field != "period.to" {
		t.Errorf("a reversed period: %v, want 422 on period.to", err)
	}
}

// TestStoredInstant: an as_of is checked by its day in its zone.
func TestStoredInstant(t *testing.T) {
	msk, _ := time.LoadLocation(DefaultTZ)
	for _, at := range []time.Time{time.Date(1900, 1, 1, 23, 59, 59, 0, msk), time.Date(2106, 1, 1, 0, 0, 0, 0, msk), time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)} {
		if _, err := StoredInstant(at, "as_of"); apperr.As(err) == nil || apperr.As(err).Field != "as_of" {
			t.Errorf("%s: %v, want 422 on as_of", at, err)
		}
	}
	got, err := StoredInstant(time.Date(1970, 1, 1, 2, 0, 0, 0, msk), "as_of")
	if err != nil || !got.Equal(time.Unix(0, 0)) {
		t.Errorf("1970-01-01 02:00 Moscow: %s %v, want the epoch", got, err)
	}
}
