package reports

import (
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
