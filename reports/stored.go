package reports

import (
	"time"

	"github.com/voronka/voronka/internal/apperr"
)

// The days the stores hold. ClickHouse keeps a DateTime as seconds since
// 1970-01-01 UTC, and 18.16 reads them only up to the end of 2105 (a
// bound on 2106-01-01 or later compares as nothing: every count 0). A
// period or an instant beyond these days is refused, not answered with
// zeros.
const (
	FirstStoredDay = "1970-01-01"
	LastStoredDay  = "2105-12-31"
)

// CodeOutOfRange is the error code of a period or as_of outside the
// stored days.
const CodeOutOfRange = "outside_stored_days"

var (
	storedFrom = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	storedTo   = time.Date(2106, 1, 1, 0, 0, 0, 0, time.UTC) // exclusive
)

// outOfRange is the 422 on field of a period or instant beyond the
// stored days; the message and details name them.
func outOfRange(field string) error {
	return &apperr.Error{Kind: apperr.Invalid, Code: CodeOutOfRange, Field: field,
		Message: "the data covers " + FirstStoredDay + " to " + LastStoredDay + "; choose dates within them",
		Details: map[string]any{"first_day": FirstStoredDay, "last_day": LastStoredDay}}
}

// stored checks a resolved period [from, to) (times in the report's
// zone) against the stored days, read in that zone: from on or after
// 1970-01-01, the last day covered on or before 2105-12-31. The range is
// then narrowed to the instants ClickHouse holds, which changes no
// answer: nothing stored lies outside them.
func stored(from, to time.Time, field string) (Range, error) {
	if day(from) < FirstStoredDay || day(to.Add(-time.Nanosecond)) > LastStoredDay {
		return Range{}, outOfRange(field)
	}
	return Range{From: clampStored(from), To: clampStored(to)}, nil
}

// StoredInstant checks an instant (a funnel's as_of, already in its
// zone) the same way: refused (422 on field) on a day outside the stored
// days, else narrowed to the instants ClickHouse holds.
func StoredInstant(t time.Time, field string) (time.Time, error) {
	if d := day(t); d < FirstStoredDay || d > LastStoredDay {
		return time.Time{}, outOfRange(field)
	}
	return clampStored(t), nil
}

// day is t's calendar day in its own zone.
func day(t time.Time) string { return t.Format("2006-01-02") }

func clampStored(t time.Time) time.Time {
	t = t.UTC()
	switch {
	case t.Before(storedFrom):
		return storedFrom
	case t.After(storedTo):
		return storedTo
	}
	return t
}
