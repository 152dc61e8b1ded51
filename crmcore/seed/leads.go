package seed

import (
	"slices"
	"time"
)

// leadProfile: about 40% of leads convert (directly or after "interested"),
// a third are disqualified, the rest wait, pause or are forgotten.
var leadProfile = profile{
	advance: 0.5, skip: 0.35, back: 0, pause: 0.08, stall: 0.05,
	resume: 0.5, reopen: 0, extend: 0,
	median: 6 * time.Hour, sigma: 1.0, steps: maxLeadMoves,
}

// leads draws n leads in creation order; those that convert become deal
// heads at the moment of conversion.
func (g *gen) leads(n int) []head {
	times := make([]time.Time, n)
	for i := range times {
		times[i] = g.when()
	}
	slices.SortFunc(times, time.Time.Compare)
	var heads []head
	for _, at := range times {
		if h, ok := g.lead(at); ok {
			heads = append(heads, h)
		}
	}
	return heads
}

func (g *gen) lead(at time.Time) (head, bool) {
	r, rf := g.r, g.rf
	src := rf.sourceW.pick(r)
	l := lead{ID: g.nextID(tLeads), Source: rf.sources[src], Responsible: g.manager(), Created: at}
	subject := r.IntN(len(dealSubjects))
	l.Title = rf.leadPrefix[src] + ": " + dealSubjects[subject]
	if l.Source != "website" && l.Source != "web_form" {
		l.CreatedBy = l.Responsible // site and form leads arrive by themselves
	}
	g.buf = walk(r, rf.leads, &leadProfile, at, g.now, g.buf)
	g.leadHistory(&l)
	h := head{lead: len(g.c.leads), company: -1, contact: -1, source: src, subject: subject, responsible: l.Responsible}
	converted := !l.Converted.IsZero()
	if converted {
		h.at, h.company = l.Converted, r.IntN(len(g.c.companies))
		h.contact = h.company
		k, co := &g.c.contacts[h.contact], &g.c.companies[h.company]
		l.Contact, l.Company = k.ID, co.ID
		l.ContactName, l.Phone, l.Email, l.CompanyName = k.FIO(), k.Phone, k.Email, co.Name
	} else {
		p := randomPerson(r)
		l.ContactName, l.Phone = p.FIO(), phone(r, "9")
		l.Email = p.email(mailHosts[r.IntN(len(mailHosts))])
		if r.IntN(100) < 70 {
			brand, _ := brandName(r)
			l.CompanyName = "ООО «" + brand + "»"
		}
	}
	g.c.leads = append(g.c.leads, l)
	return h, converted
}

// leadHistory writes the walk in g.buf as the lead's status changes and
// sets its stage, and its conversion or disqualification.
func (g *gen) leadHistory(l *lead) {
	p := g.rf.leads
	for i, m := range g.buf {
		c := change{ID: g.nextID(tLeadChanges), Owner: l.ID, To: p.Stages[m.To].ID, At: m.At, Reason: m.Reason, By: l.Responsible}
		if i == 0 {
			c.By = l.CreatedBy
		} else {
			c.From = p.Stages[g.buf[i-1].To].ID
		}
		g.c.leadChanges = append(g.c.leadChanges, c)
	}
	last := g.buf[len(g.buf)-1]
	st := p.Stages[last.To]
	l.Stage, l.Updated = st.ID, last.At
	switch st.Kind {
	case "won":
		l.Converted = last.At
	case "lost":
		l.Reason = last.Reason
	}
}
