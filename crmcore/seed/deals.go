package seed

import (
	"math"
	"time"
)

// salesProfile: ~76% of moves go forward (12% of them skip a stage), a few
// go back or pause, the rest are lost; about a fifth of deals are won.
var salesProfile = profile{
	advance: 0.76, skip: 0.12, back: 0.04, pause: 0.04, stall: 0.02,
	resume: 0.6, reopen: 0.03, extend: 0.3,
	median: 25 * time.Hour, sigma: 1.0, steps: maxDealMoves, // working hours
}

// interestProfile is the "interest to contract" process: fewer stages, so
// each is a little harder to pass.
var interestProfile = profile{
	advance: 0.72, skip: 0.1, back: 0.03, pause: 0.03, stall: 0.02,
	resume: 0.6, reopen: 0.03, extend: 0.35,
	median: 30 * time.Hour, sigma: 1.0, steps: maxDealMoves,
}

// deal draws a deal from its head with its whole life: history, amount,
// items, observers, activities and, when won, invoices and payments.
func (g *gen) deal(h head) {
	r, rf := g.r, g.rf
	p, pr := rf.sales, &salesProfile
	if r.IntN(100) < 15 {
		p, pr = rf.interest, &interestProfile
	}
	d := deal{ID: g.nextID(tDeals), Pipeline: p.ID, Responsible: h.responsible,
		Source: rf.sources[h.source], Created: h.at, CreatedBy: h.responsible}
	if r.IntN(100) < 10 {
		d.CreatedBy = rf.users.director
	}
	g.link(&d, h)
	g.buf = walk(r, p, pr, h.at, g.now, g.buf)
	g.dealHistory(&d, p)
	g.expectedClose(&d)
	g.price(&d)
	obs := g.observe(&d)
	g.activities(&d, obs)
	if p.Stages[g.buf[len(g.buf)-1].To].Kind == "won" {
		g.invoices(&d)
	}
	g.touch(h.company, h.contact, h.at)
	g.c.deals = append(g.c.deals, d)
}

// link sets the deal's client, title and lead (and the lead's deal).
func (g *gen) link(d *deal, h head) {
	if h.subject < 0 {
		h.subject = g.r.IntN(len(dealSubjects))
	}
	subject := dealSubjects[h.subject]
	d.Title = subject
	if h.company >= 0 {
		co := &g.c.companies[h.company]
		d.Company, d.Title = co.ID, subject+" — "+co.Name
	}
	if h.contact >= 0 {
		k := &g.c.contacts[h.contact]
		d.Contact = k.ID
		if h.company < 0 {
			d.Title = subject + " — " + k.short()
		}
	}
	if h.lead >= 0 {
		l := &g.c.leads[h.lead]
		l.Deal, d.Lead = d.ID, l.ID
	}
}

// dealHistory writes the walk in g.buf as stage changes and sets the
// deal's stage, closing time (when it entered its final run of won or lost
// stages) and lost reason.
func (g *gen) dealHistory(d *deal, p *pipeline) {
	var closed time.Time
	for i, m := range g.buf {
		c := change{ID: g.nextID(tStageChanges), Owner: d.ID, Pipeline: p.ID,
			To: p.Stages[m.To].ID, At: m.At, Reason: m.Reason, By: d.Responsible}
		if i == 0 {
			c.By = d.CreatedBy
		} else {
			c.From = p.Stages[g.buf[i-1].To].ID
			if g.r.IntN(100) < 7 {
				c.By = g.rf.users.director
			}
		}
		g.c.stageChanges = append(g.c.stageChanges, c)
		if k := p.Stages[m.To].Kind; k != "won" && k != "lost" {
			closed = time.Time{}
		} else if closed.IsZero() {
			closed = m.At
		}
	}
	last := g.buf[len(g.buf)-1]
	d.Stage, d.Updated, d.Closed = p.Stages[last.To].ID, last.At, closed
	if p.Stages[last.To].Kind == "lost" {
		d.LostReason = last.Reason
	}
}

// price picks the currency and the amount: a log-normal budget between 50
// thousand and 5 million roubles, rounded like people round; for some
// deals the total of a few catalogue items chosen to fit the budget.
func (g *gen) price(d *deal) {
	r, rf := g.r, g.rf
	cur := rf.currencies[rf.currencyW.pick(r)]
	d.Currency = cur.Code
	rub := math.Min(5e6, math.Max(5e4, 4e5*math.Exp(r.NormFloat64()*0.9)))
	if r.IntN(100) < 40 {
		d.Amount = g.items(d.ID, rub*100, cur.Rate)
		return
	}
	if r.IntN(100) < 70 {
		rub = math.Round(rub/1000) * 1000
	}
	d.Amount = int64(math.Round(rub / cur.Rate * 100))
}

// items adds 1–4 catalogue lines worth about budget kopecks to deal and
// returns their total in hundredths of the deal currency.
func (g *gen) items(deal int64, budget, rate float64) int64 {
	r := g.r
	n := 1 + r.IntN(maxItems)
	share := budget / float64(n)
	var total int64
	for range n {
		pr := g.rf.products[r.IntN(len(g.rf.products))]
		for try := 0; try < 3 && float64(pr.Price) > share; try++ {
			pr = g.rf.products[r.IntN(len(g.rf.products))] // too dear: look again
		}
		it := item{ID: g.nextID(tItems), Deal: deal, Product: pr.ID,
			Price: max(1, int64(math.Round(float64(pr.Price)/rate)))}
		it.Qty = 1000 * int64(min(100, max(1, math.Round(share/float64(max(pr.Price, 1))))))
		if r.IntN(100) < 40 {
			it.Discount = discounts[r.IntN(len(discounts))]
		}
		total += int64(math.Round(float64(it.Qty) / 1000 * float64(it.Price) * float64(10000-it.Discount) / 10000))
		g.c.items = append(g.c.items, it)
	}
	return total
}

// discounts are the usual ones, in hundredths of a percent.
var discounts = []int64{300, 500, 700, 1000, 1500}

// observe adds one or two other managers as observers to some deals.
func (g *gen) observe(d *deal) []int64 {
	var out []int64
	n := 0
	if x := g.r.IntN(100); x < 3 {
		n = 2
	} else if x < 15 {
		n = 1
	}
	for range n {
		u := g.manager()
		if u == d.Responsible || (len(out) > 0 && out[0] == u) {
			continue
		}
		out = append(out, u)
		g.c.observers = append(g.c.observers, observer{d.ID, u})
	}
	return out
}
