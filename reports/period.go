package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/voronka/voronka/internal/apperr"
)

// DefaultTZ is the report time zone unless a definition names another.
const DefaultTZ = "Europe/Moscow"

// Period is the time range of a report (docs/api.md, "Periods"): either a
// preset or explicit From/To. Dates (2025-01-31) are whole days in the
// report's time zone, both inclusive; RFC 3339 timestamps are instants,
// To exclusive. Field names the date field that decides (default
// created_at); TZ the time zone (default Europe/Moscow).
type Period struct {
	Field  string `json:"field,omitempty"`
	Preset string `json:"preset,omitempty"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	TZ     string `json:"tz,omitempty"`
}

// Range is a resolved period: [From, To) in UTC.
type Range struct {
	From, To time.Time
}

var lastNDays = regexp.MustCompile(`^last_([1-9][0-9]{0,3})_days$`)

// Presets lists the fixed preset names (plus last_N_days for N 1–9999).
var Presets = []string{"today", "yesterday", "this_week", "last_week", "this_month", "previous_month",
	"this_quarter", "previous_quarter", "this_year", "previous_year", "last_7_days", "last_30_days", "last_90_days", "last_N_days"}

// Location loads the period's time zone; field names it in errors.
func (p Period) Location(field string) (*time.Location, error) {
	name := p.TZ
	if name == "" {
		name = DefaultTZ
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, apperr.Field(field+".tz", "unknown_time_zone", "unknown time zone "+strconv.Quote(name)+" (an IANA name such as Europe/Moscow)")
	}
	return loc, nil
}

// Resolve turns the period into a UTC range at the instant now; field is
// the JSON path of the period for error messages (e.g. "period").
func (p Period) Resolve(now time.Time, field string) (Range, error) {
	loc, err := p.Location(field)
	if err != nil {
		return Range{}, err
	}
	switch {
	case p.Preset != "" && (p.From != "" || p.To != ""):
		return Range{}, apperr.Field(field+".preset", "conflict", "give either a preset or from/to, not both")
	case p.Preset != "":
		return presetRange(p.Preset, now.In(loc), field)
	case p.From == "" || p.To == "":
		return Range{}, apperr.Field(field, "required", "give a preset or both from and to")
	}
	from, _, err := ParseBound(p.From, loc, field+".from")
	if err != nil {
		return Range{}, err
	}
	to, isDate, err := ParseBound(p.To, loc, field+".to")
	if err != nil {
		return Range{}, err
	}
	if isDate {
		to = to.AddDate(0, 0, 1) // a date is inclusive: up to the next midnight
	}
	if !to.After(from) {
		return Range{}, apperr.Field(field+".to", "before_from", "must be after from")
	}
	return stored(from, to, field)
}

// parseBound reads a date (midnight in loc) or an RFC 3339 instant.
func ParseBound(s string, loc *time.Location, field string) (time.Time, bool, error) {
	if d, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return d, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, apperr.Field(field, "invalid_date", "want a date 2025-01-31 or an RFC 3339 time 2025-01-31T09:00:00+03:00")
}

// GrainStart is the first instant of the day, week (from Monday), month,
// quarter or year holding t, in t's location ("" or an unknown grain: its
// day).
func GrainStart(t time.Time, grain string) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch grain {
	case "week":
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
	case "quarter":
		return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, t.Location())
	case "year":
		return time.Date(t.Year(), 1, 1, 0, 0, 0, 0, t.Location())
	}
	return day
}

func presetRange(preset string, now time.Time, field string) (Range, error) {
	day, weekStart, month := GrainStart(now, "day"), GrainStart(now, "week"), GrainStart(now, "month")
	quarter, year := GrainStart(now, "quarter"), GrainStart(now, "year")
	r := map[string][2]time.Time{
		"today":            {day, day.AddDate(0, 0, 1)},
		"yesterday":        {day.AddDate(0, 0, -1), day},
		"this_week":        {weekStart, weekStart.AddDate(0, 0, 7)},
		"last_week":        {weekStart.AddDate(0, 0, -7), weekStart},
		"this_month":       {month, month.AddDate(0, 1, 0)},
		"previous_month":   {month.AddDate(0, -1, 0), month},
		"this_quarter":     {quarter, quarter.AddDate(0, 3, 0)},
		"previous_quarter": {quarter.AddDate(0, -3, 0), quarter},
		"this_year":        {year, year.AddDate(1, 0, 0)},
		"previous_year":    {year.AddDate(-1, 0, 0), year},
	}
	if m := lastNDays.FindStringSubmatch(preset); m != nil {
		n, _ := strconv.Atoi(m[1])
		r[preset] = [2]time.Time{day.AddDate(0, 0, 1-n), day.AddDate(0, 0, 1)} // N days ending today
	}
	b, ok := r[preset]
	if !ok {
		return Range{}, &apperr.Error{Kind: apperr.Invalid, Code: "unknown_preset", Field: field + ".preset",
			Message: fmt.Sprintf("unknown preset %q", preset), Details: map[string]any{"allowed": Presets}}
	}
	return stored(b[0], b[1], field)
}
