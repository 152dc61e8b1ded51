package crmcore

import (
	"fmt"

	"github.com/voronka/voronka/domain"
)

// Pipeline is an ordered list of stages and the explicit graph of allowed
// transitions between them. Invariant: stage codes and positions are
// unique within the pipeline (positions are non-negative, 1..n unless an
// admin numbered them otherwise, e.g. from 0), every transition names two
// of its stages.
type Pipeline struct {
	ID          int64        `json:"id"`
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Entity      string       `json:"entity"` // "deal" or "lead"; CreatePipeline defaults it to "deal"
	Stages      []Stage      `json:"stages"`
	Transitions []Transition `json:"transitions"`
}

// Stage is one step of a pipeline.
type Stage struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Position    int    `json:"position"`
	Kind        string `json:"kind"`
	Probability int    `json:"probability"`
	Group       string `json:"group"`
	// StaleDays is the stage's stale-deal rule: an open deal idle in it
	// at least this many days is stale (docs/reports.md, "Stale deals");
	// nil is no rule. Positive; never on a won or lost stage.
	StaleDays *int `json:"stale_days"`
}

// StagePatch is the body of PATCH /pipelines/{code}/stages/{id}: the
// stage's stale-deal rule, a number of days, or null to clear it.
type StagePatch struct {
	StaleDays *int `json:"stale_days"`
}

// Transition is an allowed move, by stage codes.
type Transition struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Stage returns the stage with the given code.
func (p *Pipeline) Stage(code string) (Stage, bool) {
	for _, s := range p.Stages {
		if s.Code == code {
			return s, true
		}
	}
	return Stage{}, false
}

// StageByID returns the stage with the given id.
func (p *Pipeline) StageByID(id int64) (Stage, bool) {
	for _, s := range p.Stages {
		if s.ID == id {
			return s, true
		}
	}
	return Stage{}, false
}

// First is the stage new records enter: the lowest position.
func (p *Pipeline) First() Stage {
	first := p.Stages[0]
	for _, s := range p.Stages[1:] {
		if s.Position < first.Position {
			first = s
		}
	}
	return first
}

// Allows reports whether the graph permits from → to.
func (p *Pipeline) Allows(from, to string) bool {
	for _, t := range p.Transitions {
		if t.From == from && t.To == to {
			return true
		}
	}
	return false
}

// Validate checks a pipeline definition (as posted by an admin).
func (p *Pipeline) Validate() error {
	var v check
	v.text("code", p.Code, true, 32)
	if !codeRe.MatchString(p.Code) {
		v.fail("code", "invalid_code", "lowercase latin letters, digits and _, starting with a letter")
	}
	v.text("name", p.Name, true, domain.MaxTitle)
	v.oneOf("entity", p.Entity, "deal", "lead")
	if len(p.Stages) < 2 {
		v.fail("stages", "too_few", "a pipeline needs at least two stages")
	}
	seen, positions := map[string]bool{}, map[int]bool{}
	for i, s := range p.Stages {
		f := fmt.Sprintf("stages[%d]", i)
		if s.Position < 0 {
			v.fail(f+".position", "out_of_range", "must not be negative")
		}
		if positions[s.Position] {
			v.fail(f+".position", "duplicate", "position %d is another stage's: give each stage its own position, or none", s.Position)
		}
		positions[s.Position] = true
		if !codeRe.MatchString(s.Code) {
			v.fail(f+".code", "invalid_code", "lowercase latin letters, digits and _, starting with a letter")
		}
		if seen[s.Code] {
			v.fail(f+".code", "duplicate", "stage code %q repeats", s.Code)
		}
		seen[s.Code] = true
		v.text(f+".name", s.Name, true, domain.MaxTitle)
		v.text(f+".group", s.Group, true, domain.MaxTitle)
		v.oneOf(f+".kind", s.Kind, domain.KindOpen, domain.KindWon, domain.KindLost, domain.KindPaused)
		if s.Probability < 0 || s.Probability > 100 {
			v.fail(f+".probability", "out_of_range", "must be 0 to 100")
		}
		checkStaleDays(&v, f+".stale_days", s.Kind, s.StaleDays)
	}
	for i, t := range p.Transitions {
		f := fmt.Sprintf("transitions[%d]", i)
		if !seen[t.From] {
			v.fail(f+".from", "unknown_stage", "no stage %q in this pipeline", t.From)
		}
		if !seen[t.To] {
			v.fail(f+".to", "unknown_stage", "no stage %q in this pipeline", t.To)
		}
		if t.From == t.To {
			v.fail(f+".to", "invalid_value", "a transition must change the stage")
		}
	}
	return v.Err
}

// checkStaleDays checks a stage's stale-deal rule: none, or a positive
// number of days on a stage that holds open deals (a closed deal is
// never stale, so a won or lost stage takes no rule).
func checkStaleDays(v *check, field, kind string, days *int) {
	switch {
	case days == nil:
	case *days <= 0:
		v.fail(field, "out_of_range", "a number of days greater than zero, or null for no rule")
	case kind == domain.KindWon || kind == domain.KindLost:
		v.fail(field, "closed_stage", "deals in a won or lost stage are closed and never stale: set the rule on an open or paused stage")
	}
}
