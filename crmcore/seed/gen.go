package seed

import (
	"math/rand/v2"
	"slices"
	"time"
)

// plan is one chunk to generate: its deals cover the share [lo, hi) of the
// creation-time distribution, so chunk after chunk moves forward in time
// and ids grow with creation time, as in a real CRM.
type plan struct {
	index, deals int
	lo, hi       float64
}

// planChunks splits total deals into chunks of at most size.
func planChunks(total, size int) []plan {
	var out []plan
	for start := 0; start < total; start += size {
		n := min(size, total-start)
		out = append(out, plan{len(out), n,
			float64(start) / float64(total), float64(start+n) / float64(total)})
	}
	return out
}

// sizes lists the deals per chunk.
func sizes(plans []plan) []int {
	out := make([]int, len(plans))
	for i, p := range plans {
		out[i] = p.deals
	}
	return out
}

// gen draws one chunk from its own random stream.
type gen struct {
	r    *rand.Rand
	salt uint64 // the seed, for what is drawn apart from r (expectedClose)
	rf   *ref
	now  time.Time
	p    plan
	id   *ids // the last id used per table; advanced as rows are made
	c    *chunk
	buf  []move
	// the earliest deal of each company and contact of the chunk
	companyFirst, contactFirst []time.Time
}

// generate draws chunk p into c (recycled, or nil for a new one). ids
// continue from next, which it advances.
func generate(rf *ref, seed uint64, now time.Time, p plan, next *ids, c *chunk) *chunk {
	if c == nil {
		c = new(chunk)
	}
	c.reset(p.index, p.deals)
	g := &gen{
		r: rand.New(rand.NewPCG(seed, uint64(p.index)+1)), salt: mix(seed),
		rf: rf, now: now, p: p, id: next, c: c,
	}
	g.people(p.deals)
	heads := g.leads(p.deals)
	heads = g.directDeals(heads, p.deals-len(heads))
	slices.SortStableFunc(heads, func(a, b head) int { return a.at.Compare(b.at) })
	for _, h := range heads {
		g.deal(h)
	}
	g.datePeople()
	return g.c
}

func (g *gen) nextID(table int) int64 {
	g.id[table]++
	return g.id[table]
}

// when is a creation time within the chunk's share of the two years.
func (g *gen) when() time.Time {
	return createdAt(g.r, g.now, g.p.lo+(g.p.hi-g.p.lo)*g.r.Float64())
}

func (g *gen) manager() int64 {
	return g.rf.users.managers[g.rf.managerW.pick(g.r)]
}

// head is a deal before it is drawn: when, for whom, from which lead.
type head struct {
	at               time.Time
	lead             int // index into chunk.leads, -1 for a direct deal
	company, contact int // indexes into the chunk, -1 for none
	source, subject  int // subject: index into dealSubjects, -1 to draw one
	responsible      int64
}

// directDeals adds n deals that did not come from a lead.
func (g *gen) directDeals(heads []head, n int) []head {
	r := g.r
	for range n {
		h := head{at: g.when(), lead: -1, company: -1, contact: -1, source: g.rf.sourceW.pick(r), subject: -1}
		h.responsible = g.manager()
		if r.IntN(100) < 85 {
			h.company = r.IntN(len(g.c.companies))
			if r.IntN(100) < 75 {
				h.contact = h.company // a company's first contact works there
			}
			if r.IntN(100) < 70 {
				h.responsible = g.c.companies[h.company].Responsible
			}
		} else if k := r.IntN(len(g.c.contacts)); g.c.contacts[k].company < 0 {
			h.contact = k // a private client
		}
		heads = append(heads, h)
	}
	return heads
}

// touch records that a deal of company ci and contact ki exists at t.
func (g *gen) touch(ci, ki int, t time.Time) {
	if ci >= 0 && (g.companyFirst[ci].IsZero() || t.Before(g.companyFirst[ci])) {
		g.companyFirst[ci] = t
	}
	if ki >= 0 && (g.contactFirst[ki].IsZero() || t.Before(g.contactFirst[ki])) {
		g.contactFirst[ki] = t
	}
}
