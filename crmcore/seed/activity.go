package seed

import (
	"math/rand/v2"
	"slices"
	"time"
)

// activityW is the mix of call, email, meeting and task.
var activityW = newWeights(40, 25, 15, 20)

// activities adds 3–6 activities spread over the deal's life: from its
// creation to its closing, or for an open deal up to two months after its
// last move (and never after now). The last one of an open deal may be a
// meeting or task planned ahead.
func (g *gen) activities(d *deal, observers []int64) {
	r := g.r
	n := 3 + r.IntN(maxActivities-2)
	end := d.Closed
	if end.IsZero() {
		end = earliest(g.now, d.Updated.Add(60*24*time.Hour))
	}
	span := float64(end.Sub(d.Created))
	var buf [maxActivities]time.Time
	times := buf[:n]
	for i := range times {
		t := workAfter(r, d.Created.Add(time.Duration(r.Float64()*span)))
		if t.After(g.now) {
			t = workBefore(t, g.now)
		}
		if t.Before(d.Created) {
			t = d.Created.Add(time.Minute)
		}
		times[i] = t.Truncate(time.Second)
	}
	slices.SortFunc(times, time.Time.Compare)
	for i, t := range times {
		ahead := i == n-1 && d.Closed.IsZero() && r.IntN(100) < 35
		g.activity(d, observers, t, ahead)
	}
}

// activity adds one activity at t. ahead: a meeting is planned in the
// coming days rather than held.
func (g *gen) activity(d *deal, observers []int64, t time.Time, ahead bool) {
	r := g.r
	k := activityW.pick(r)
	subjects := activitySubjects[k]
	a := activity{ID: g.nextID(tActivities), Owner: d.Responsible, Deal: d.ID, Type: activityTypes[k],
		Subject: subjects[r.IntN(len(subjects))], Duration: -1, Created: t}
	if x := r.IntN(100); x < 4 {
		a.Owner = g.manager()
	} else if x < 10 && len(observers) > 0 {
		a.Owner = observers[0]
	}
	switch a.Type {
	case "call":
		a.Direction, a.Done, a.Duration = direction(r, 70), t, 0
		if r.IntN(100) >= 15 { // the others went unanswered
			a.Duration = int32(min(3600, gap(r, 4*time.Minute, 0.8).Seconds()))
		}
	case "email":
		a.Direction, a.Done = direction(r, 75), t
	case "meeting":
		g.meeting(&a, t, d.Created, ahead)
	case "task":
		g.task(&a, t)
	}
	a.Updated = a.Created
	if !a.Done.IsZero() {
		a.Updated = latest(a.Done, a.Created)
	}
	g.c.activities = append(g.c.activities, a)
}

// meeting: held at t and arranged a few days before (not before the deal),
// or, ahead, planned for the coming days.
func (g *gen) meeting(a *activity, t, dealCreated time.Time, ahead bool) {
	r := g.r
	if ahead {
		a.Due = workAfter(r, g.now.Add(time.Duration(1+r.IntN(10))*24*time.Hour)).Truncate(time.Second)
		return
	}
	a.Due, a.Done, a.Duration = t, t, int32(1800*(1+r.IntN(4)))
	a.Created = latest(dealCreated, workBefore(t.Add(-time.Duration(1+r.IntN(5))*day), t))
}

// task: due a couple of days after it was set; most are done around then,
// some are overdue and not done, some are still ahead.
func (g *gen) task(a *activity, t time.Time) {
	r := g.r
	a.Due = later(r, t, 16*time.Hour, 0.7)
	done := earliest(g.now, later(r, t, 12*time.Hour, 0.8))
	switch x := r.IntN(100); {
	case a.Due.After(g.now) && x < 70: // still to do
	case a.Due.After(g.now) || x < 85:
		a.Done = done
	default: // overdue and forgotten
	}
}

func direction(r *rand.Rand, outPercent int) string {
	if r.IntN(100) < outPercent {
		return "out"
	}
	return "in"
}
