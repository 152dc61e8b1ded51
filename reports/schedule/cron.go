package schedule

import (
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser reads standard five-field expressions and descriptors
// (@daily, @weekly, @monthly, @every is refused: schedules are wall-clock).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// spec parses a schedule's expression in its time zone.
func spec(expr string, loc *time.Location) (cron.Schedule, error) {
	sc, err := cronParser.Parse(expr)
	if err != nil {
		return nil, err
	}
	if s, ok := sc.(*cron.SpecSchedule); ok {
		s.Location = loc
		return s, nil
	}
	return nil, errNotWallClock
}

// nextRun is the first occurrence after now; false when there is none
// (the cron library looks five years ahead and answers the zero time for
// a day that never comes, such as 31 February).
func nextRun(sc cron.Schedule, now time.Time) (time.Time, bool) {
	n := sc.Next(now)
	return n, !n.IsZero()
}

// latestDue is the last occurrence in (after, now], if any: the one run
// a schedule owes at now (earlier missed ones are not run, see
// docs/exports.md "Catch-up").
func latestDue(sc cron.Schedule, after, now time.Time) (time.Time, bool) {
	next := sc.Next(after)
	if next.IsZero() || next.After(now) {
		return time.Time{}, false
	}
	for i := 0; i < 1_000_000; i++ {
		n := sc.Next(next)
		if n.IsZero() || n.After(now) {
			break
		}
		next = n
	}
	return next, true
}
