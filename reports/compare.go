package reports

import (
	"fmt"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
)

// The comparisons a definition or funnel request may ask for
// (../shared/API.md, "The records behind a number, and the period
// before"): the period of the same length just before, or the same dates
// a year earlier.
const (
	ComparePreviousPeriod = "previous_period"
	ComparePreviousYear   = "previous_year"
)

// CompareModes lists them.
var CompareModes = []string{ComparePreviousPeriod, ComparePreviousYear}

// CheckCompare refuses an unknown comparison (422 on field).
func CheckCompare(mode, field string) error {
	if mode == "" || mode == ComparePreviousPeriod || mode == ComparePreviousYear {
		return nil
	}
	return &apperr.Error{Kind: apperr.Invalid, Code: "invalid_choice", Field: field,
		Message: fmt.Sprintf("unknown comparison %q", mode), Details: map[string]any{"allowed": CompareModes}}
}

// Comparison is the period an answer is compared with, and how its
// buckets map onto the current period's.
type Comparison struct {
	Mode string
	// Current is the period compared; Previous the one it is compared
	// with. Previous is cut short when the current period is still
	// running (now inside it): the same length of it as has passed
	// (Partial), so "this month so far" meets as many days of the month
	// before, not the whole month.
	Current, Previous Range
	Partial           bool
	loc               *time.Location
	months, days      int           // the calendar shift back: months, else days
	span              time.Duration // else an exact duration
}

// CompareRange works out the comparison of the period r (in loc) at now.
// previous_year is the same dates a year earlier; previous_period the
// same length just before: whole calendar months (a month, a quarter, a
// year) compare with as many months before, whole days with as many
// days, anything else with the same duration.
func CompareRange(mode string, r Range, loc *time.Location, now time.Time) Comparison {
	c := Comparison{Mode: mode, Current: r, loc: loc}
	from, to := r.From.In(loc), r.To.In(loc)
	midnight := func(t time.Time) bool {
		return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
	}
	switch {
	case mode == ComparePreviousYear:
		c.months = 12
	case midnight(from) && midnight(to) && from.Day() == 1 && to.Day() == 1:
		c.months = (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month())
	case midnight(from) && midnight(to):
		c.days = int(to.Sub(from).Round(24*time.Hour) / (24 * time.Hour))
		for from.AddDate(0, 0, c.days).Before(to) { // a DST change shortens a day
			c.days++
		}
	default:
		c.span = to.Sub(from)
	}
	c.Previous = Range{From: c.Back(r.From), To: c.Back(r.To)}
	if now.After(r.From) && now.Before(r.To) {
		c.Partial = true
		if end := c.Previous.From.Add(now.Sub(r.From)); end.Before(c.Previous.To) {
			c.Previous.To = end
		}
	}
	return c
}

// Back is t moved back by the comparison's shift.
func (c Comparison) Back(t time.Time) time.Time {
	l := t.In(c.loc)
	switch {
	case c.months != 0:
		return l.AddDate(0, -c.months, 0).UTC()
	case c.days != 0:
		return l.AddDate(0, 0, -c.days).UTC()
	}
	return t.Add(-c.span).UTC()
}

// Forward is t moved forward by the comparison's shift: where a bucket
// of the previous period lies in the current one.
func (c Comparison) Forward(t time.Time) time.Time {
	l := t.In(c.loc)
	switch {
	case c.months != 0:
		return l.AddDate(0, c.months, 0)
	case c.days != 0:
		return l.AddDate(0, 0, c.days)
	}
	return t.Add(c.span)
}

// Describe says in lang which period the comparison reads, for a
// column's definition: its dates, and when cut short that it is.
func (c Comparison) Describe(lang string) string {
	last := c.Previous.To.Add(-time.Second).In(c.loc)
	first := c.Previous.From.In(c.loc)
	ru := fmt.Sprintf("то же за %s – %s", i18n.Date(i18n.RU, first), i18n.Date(i18n.RU, last))
	en := fmt.Sprintf("the same for %s – %s", i18n.Date(i18n.EN, first), i18n.Date(i18n.EN, last))
	if c.Partial {
		ru += fmt.Sprintf(" до %s: период ещё идёт, сравнивается столько же его начала, сколько прошло сейчас", c.Previous.To.In(c.loc).Format("15:04"))
		en += fmt.Sprintf(" up to %s: the period is still running, so as much of its start as has passed now", c.Previous.To.In(c.loc).Format("15:04"))
	}
	return i18n.T(ru, en).In(lang)
}
