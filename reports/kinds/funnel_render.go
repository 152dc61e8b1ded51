package kinds

import (
	"math"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// funnel renders the tallies as the API answer.
func (ft *funnelTallies) funnel(plan *run) *reports.Funnel {
	f := &reports.Funnel{Pipeline: plan.meta.Code, Mode: plan.mode, From: plan.from, To: plan.to, WindowDays: plan.window}
	if plan.mode == reports.ModeCurrent {
		f.AsOf = plan.asOf
	}
	f.Steps, f.Lost, f.Paused = ft.render(ft.all, plan.mode)
	for _, key := range ft.order {
		g := reports.FunnelGroup{Key: key}
		g.Steps, g.Lost, g.Paused = ft.render(ft.groups[key], plan.mode)
		f.Breakdown = append(f.Breakdown, g)
	}
	return f
}

// render turns one tally into steps, lost and (current mode) paused.
func (ft *funnelTallies) render(t *tally, mode string) ([]reports.FunnelStep, []reports.FunnelCount, []reports.FunnelCount) {
	steps := make([]reports.FunnelStep, len(ft.steps))
	lost := []reports.FunnelCount{}
	for i, s := range ft.steps {
		steps[i] = reports.FunnelStep{Stage: s.Code, Name: s.Name, Count: t.n[i], Amount: centsMoney(t.amt[i]),
			MedianHoursInStage: t.hours[i]}
		if mode == reports.ModeReached {
			steps[i].ConversionFromFirst = ratio(t.n[i], t.n[0])
			if i > 0 {
				steps[i].ConversionFromPrev = ratio(t.n[i], t.n[i-1])
			}
			lost = append(lost, reports.FunnelCount{Stage: s.Code, Name: s.Name, Count: t.lostN[i], Amount: centsMoney(t.lostAmt[i])})
		}
	}
	if mode == reports.ModeReached {
		return steps, lost, nil
	}
	return steps, t.byStage(ft.meta.ofKind(domain.KindLost)), t.byStage(ft.meta.ofKind(domain.KindPaused))
}

// byStage lists the current-mode counts of the given stages (zeros too).
func (t *tally) byStage(stages []stageMeta) []reports.FunnelCount {
	out := []reports.FunnelCount{}
	for _, s := range stages {
		c := reports.FunnelCount{Stage: s.Code, Name: s.Name, Amount: centsMoney(decimal.Zero)}
		if got, ok := t.other[s.ID]; ok {
			c.Count, c.Amount = got.Count, centsMoney(got.Amount.Decimal)
		}
		out = append(out, c)
	}
	return out
}

// ratio is a/b, nil when b is 0.
func ratio(a, b int64) *float64 {
	if b == 0 {
		return nil
	}
	r := float64(a) / float64(b)
	return &r
}

// roundHours rounds hours to two decimals.
func roundHours(h float64) float64 { return math.Round(h*100) / 100 }

// centsMoney rounds an exact rouble sum to cents (half away from zero, as
// PostgreSQL's round does).
func centsMoney(d decimal.Decimal) domain.Money { return domain.Money{Decimal: d.Round(2)} }
