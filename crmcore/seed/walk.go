package seed

import (
	"math/rand/v2"
	"time"
)

// profile tunes how a record walks its pipeline: the odds of each kind of
// move and how long a stage lasts. The graph itself comes from the database.
type profile struct {
	advance float64 // from an open stage: move forward…
	skip    float64 // …and of those, jump past the nearest forward stage
	back    float64 // step back to an earlier open stage
	pause   float64 // go to a paused stage; what remains of 1 is lost
	stall   float64 // stay put for good (a forgotten record)
	resume  float64 // from paused: carry on
	reopen  float64 // from lost: start again; from won: a repeat order
	extend  float64 // from won: on to another won stage
	median  time.Duration
	sigma   float64
	steps   int // at most this many moves after the entry
}

// move is one entry of a walk: into stage To at At.
type move struct {
	To     int
	At     time.Time
	Reason string
}

// walk appends to buf the history of one record entering p at start: the
// entry, then moves along allowed transitions until it stops or the next
// move would be after now.
func walk(r *rand.Rand, p *pipeline, pr *profile, start, now time.Time, buf []move) []move {
	buf = append(buf[:0], move{To: p.First, At: start})
	cur, from := p.First, p.First
	at := start
	for step := 0; step < pr.steps; step++ {
		next, wait := choose(r, p, pr, cur, from)
		if next < 0 {
			break
		}
		at = later(r, at, time.Duration(wait*float64(pr.median)), pr.sigma)
		if at.After(now) {
			break
		}
		if p.Stages[cur].Kind == "open" {
			from = cur
		}
		m := move{To: next, At: at}
		if rs := p.Stages[next].reasons; p.Stages[next].Kind == "lost" && len(rs) > 0 {
			m.Reason = rs[r.IntN(len(rs))]
		}
		buf = append(buf, m)
		cur = next
	}
	return buf
}

// choose picks the next stage from cur (-1: stay) and how many medians
// the stage lasts. from is the last open stage, where a pause resumes.
func choose(r *rand.Rand, p *pipeline, pr *profile, cur, from int) (int, float64) {
	x := r.Float64()
	switch p.Stages[cur].Kind {
	case "open":
		return fromOpen(r, p, pr, cur, x), 1
	case "paused":
		if x < pr.resume {
			return resumeAt(p, cur, from), 6
		}
	case "lost":
		if b := p.back[cur]; x < pr.reopen && len(b) > 0 {
			return b[r.IntN(len(b))], 10
		}
	case "won":
		if f := p.forward[cur]; x < pr.extend && len(f) > 0 {
			return f[0], 3
		}
		if b := p.back[cur]; x >= 1-pr.reopen && len(b) > 0 {
			return b[0], 20 // a repeat order
		}
	}
	return -1, 0
}

func fromOpen(r *rand.Rand, p *pipeline, pr *profile, cur int, x float64) int {
	fw, bk, ps, ls := p.forward[cur], p.back[cur], p.paused[cur], p.lost[cur]
	switch {
	case x < pr.stall:
		return -1
	case x < pr.stall+pr.advance && len(fw) > 0:
		if len(fw) > 1 && r.Float64() < pr.skip {
			return fw[1+r.IntN(len(fw)-1)]
		}
		return fw[0]
	case x < pr.stall+pr.advance+pr.back && len(bk) > 0:
		return bk[0]
	case x < pr.stall+pr.advance+pr.back+pr.pause && len(ps) > 0:
		return ps[r.IntN(len(ps))]
	case len(ls) > 0:
		return ls[r.IntN(len(ls))]
	case len(fw) > 0: // no way to lose from here: carry on
		return fw[0]
	}
	return -1
}

// resumeAt is where a paused record carries on: the stage it left if the
// graph allows, else the nearest allowed open stage.
func resumeAt(p *pipeline, cur, from int) int {
	for _, t := range p.back[cur] {
		if t == from {
			return t
		}
	}
	for _, t := range p.forward[cur] {
		if t == from || p.Stages[t].Kind == "open" {
			return t
		}
	}
	if b := p.back[cur]; len(b) > 0 {
		return b[0]
	}
	if f := p.forward[cur]; len(f) > 0 {
		return f[0]
	}
	return -1
}
