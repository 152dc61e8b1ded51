package kinds

import (
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// tally accumulates one funnel (the whole, or one breakdown group): per
// step counts and amounts, lost by step (reached mode), counts by lost
// and paused stage id (current mode), median hours by step.
type tally struct {
	n, lostN     []int64
	amt, lostAmt []decimal.Decimal
	hours        []*float64
	other        map[int64]*reports.FunnelCount
}

func newTally(steps int) *tally {
	t := &tally{n: make([]int64, steps), lostN: make([]int64, steps), hours: make([]*float64, steps),
		amt: make([]decimal.Decimal, steps), lostAmt: make([]decimal.Decimal, steps), other: map[int64]*reports.FunnelCount{}}
	return t
}

// funnelTallies is the whole funnel and, with a breakdown, one per key
// (in first-seen order).
type funnelTallies struct {
	meta   *pipelineMeta
	steps  []stageMeta
	all    *tally
	groups map[string]*tally
	order  []string
	by     bool
}

func newTallies(plan *run) *funnelTallies {
	steps := plan.meta.steps()
	return &funnelTallies{meta: plan.meta, steps: steps, all: newTally(len(steps)),
		groups: map[string]*tally{}, by: plan.breakdown != nil}
}

// targets are the tallies a row of key adds to: the whole, and the
// key's group when there is a breakdown.
func (ft *funnelTallies) targets(key string) []*tally {
	if !ft.by {
		return []*tally{ft.all}
	}
	return []*tally{ft.all, ft.tallyFor(key, false)}
}

// tallyFor is the whole funnel's tally (total) or the key's group's,
// created on first use.
func (ft *funnelTallies) tallyFor(key string, total bool) *tally {
	if total {
		return ft.all
	}
	g, ok := ft.groups[key]
	if !ok {
		g = newTally(len(ft.steps))
		ft.groups[key] = g
		ft.order = append(ft.order, key)
	}
	return g
}

// reached adds n deals (amount amt) whose furthest step is r (1-based,
// 0 = none): they count at steps 1..r, and as lost at step r.
func (ft *funnelTallies) reached(key string, r int, lost bool, n int64, amt decimal.Decimal) {
	r = min(r, len(ft.steps))
	for _, t := range ft.targets(key) {
		for i := 0; i < r; i++ {
			t.n[i] += n
			t.amt[i] = t.amt[i].Add(amt)
		}
		if lost && r > 0 {
			t.lostN[r-1] += n
			t.lostAmt[r-1] = t.lostAmt[r-1].Add(amt)
		}
	}
}

// current adds n deals (amount amt) that were in stage id at as_of to
// the whole funnel (total) or the key's group.
func (ft *funnelTallies) current(key string, total bool, id int64, n int64, amt decimal.Decimal) {
	s, ok := ft.meta.byID(id)
	if !ok {
		return // a stage of another pipeline: not this funnel's
	}
	t := ft.tallyFor(key, total)
	if s.Step > 0 {
		t.n[s.Step-1] += n
		t.amt[s.Step-1] = t.amt[s.Step-1].Add(amt)
		return
	}
	c, ok := t.other[id]
	if !ok {
		c = &reports.FunnelCount{Stage: s.Code, Name: s.Name}
		t.other[id] = c
	}
	c.Count += n
	c.Amount = domain.Money{Decimal: c.Amount.Add(amt)}
}

// setHours records a median for stage id in the group key (or the whole
// funnel when total).
func (ft *funnelTallies) setHours(key string, total bool, id int64, hours float64) {
	s, ok := ft.meta.byID(id)
	if !ok || s.Step == 0 {
		return
	}
	t := ft.tallyFor(key, total)
	h := roundHours(hours)
	t.hours[s.Step-1] = &h
}
