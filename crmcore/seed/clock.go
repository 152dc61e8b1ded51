package seed

import (
	"math"
	"math/rand/v2"
	"time"
)

// window is how far back the data goes.
const window = 730 * day

// workAfter is t if it falls in working hours, else a random moment of
// the next working day.
func workAfter(r *rand.Rand, t time.Time) time.Time {
	d := dayOf(t)
	h := t.Sub(d.start())
	if d.working() && h >= dayStart && h < dayEnd {
		return t
	}
	if h >= dayStart || !d.working() {
		d = d.nextWorking()
	}
	return d.start().Add(dayStart + time.Duration(r.IntN(int(workHours/time.Second)))*time.Second)
}

// addWork adds w of working time to t: the clock runs only in working
// hours on working days. A t outside them starts at the next opening.
func addWork(t time.Time, w time.Duration) time.Time {
	d := dayOf(t)
	switch h := t.Sub(d.start()); {
	case !d.working() || h >= dayEnd:
		d = d.nextWorking()
		t = d.start().Add(dayStart)
	case h < dayStart:
		t = d.start().Add(dayStart)
	}
	for {
		left := d.start().Add(dayEnd).Sub(t)
		if w < left {
			return t.Add(w)
		}
		w -= left
		d = d.nextWorking()
		t = d.start().Add(dayStart)
	}
}

// workBefore moves t back by whole days until it is a working day not after
// limit; the time of day is kept.
func workBefore(t, limit time.Time) time.Time {
	for t.After(limit) || !workday(t) {
		t = t.Add(-day)
	}
	return t
}

// createdAt is a working moment in the two years before now. u in [0,1)
// picks the day along a gently growing density (the business grows:
// 0.6 at the start of the window, 1.4 at its end), so that later u means
// later time.
func createdAt(r *rand.Rand, now time.Time, u float64) time.Time {
	x := (math.Sqrt(0.36+1.6*u) - 0.6) / 0.8
	d := dayOf(now.Add(-window + time.Duration(x*float64(window))))
	if !d.working() {
		d = d.nextWorking()
	}
	t := d.start().Add(dayStart + time.Duration(r.IntN(int(workHours/time.Second)))*time.Second)
	return workBefore(t, now)
}

// gap is a log-normal pause between two events, with the given median.
func gap(r *rand.Rand, median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(r.NormFloat64()*sigma))
}

// later is a log-normal amount of working time (with the given median)
// after t, at least a minute, in whole seconds.
func later(r *rand.Rand, t time.Time, median time.Duration, sigma float64) time.Time {
	return addWork(t, time.Minute+gap(r, median, sigma)).Truncate(time.Second)
}

// earliest and latest of two times.
func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
