package kinds

import (
	"context"
	"fmt"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
)

// pipelineMeta is a deal pipeline as the ClickHouse copy holds it now:
// its stages in position order with their current names. History refers
// to stage ids, so every kind labels past rows by these current names and
// orders them by the current positions.
type pipelineMeta struct {
	ID     int64
	Code   string
	Name   string
	Stages []stageMeta
}

// stageMeta is one stage of a pipelineMeta. Step is the 1-based index
// among the pipeline's open and won stages (the funnel steps), 0 for
// paused and lost stages.
type stageMeta struct {
	ID          int64
	Code        string
	Name        string
	Position    int32
	Kind        string
	Probability int16
	Group       string
	Step        int32
	StaleDays   int32 // the stale-deal rule, 0 none
	pipelineID  int64
}

// steps are the funnel steps: open and won stages in position order.
func (m *pipelineMeta) steps() []stageMeta { return m.ofKind(domain.KindOpen, domain.KindWon) }

// ofKind lists the stages of the given kinds, in position order.
func (m *pipelineMeta) ofKind(kinds ...string) []stageMeta {
	var out []stageMeta
	for _, s := range m.Stages {
		for _, k := range kinds {
			if s.Kind == k {
				out = append(out, s)
			}
		}
	}
	return out
}

// stageArrays returns parallel arrays over every stage (ids, step
// indexes, kinds) for transform() in SQL: bound values, never text.
func (m *pipelineMeta) stageArrays() (ids []int64, steps []int32, kinds []string) {
	for _, s := range m.Stages {
		ids = append(ids, s.ID)
		steps = append(steps, s.Step)
		kinds = append(kinds, s.Kind)
	}
	return ids, steps, kinds
}

// byID finds a stage by id.
func (m *pipelineMeta) byID(id int64) (stageMeta, bool) {
	for _, s := range m.Stages {
		if s.ID == id {
			return s, true
		}
	}
	return stageMeta{}, false
}

// loadPipeline reads the deal pipeline with this code and its stages from
// the ClickHouse copy; field names the request field for errors (422
// unknown_pipeline, or not_deal_pipeline for a lead pipeline).
func loadPipeline(ctx context.Context, db *olap.DB, code, field string) (*pipelineMeta, error) {
	if code == "" {
		return nil, apperr.Field(field, "required", "name a deal pipeline by its code, e.g. sales")
	}
	q := olap.SQL(db.Current("pipelines", "id, name, entity")+" AND code = ?", code)
	var m pipelineMeta
	var entity string
	found := false
	err := db.Each(ctx, "pipeline "+code, q, func(scan func(...any) error) error {
		found = true
		return scan(&m.ID, &m.Name, &entity)
	})
	switch {
	case err != nil:
		return nil, err
	case !found:
		return nil, apperr.Field(field, "unknown_pipeline", fmt.Sprintf("no pipeline %q", code))
	case entity != "deal":
		return nil, apperr.Field(field, "not_deal_pipeline", fmt.Sprintf("pipeline %q holds leads, not deals", code))
	}
	m.Code = code
	return &m, loadStages(ctx, db, &m)
}

// stageColumns are the columns a stageMeta is read from.
const stageColumns = "id, code, name, position, kind, probability, stage_group, ifNull(stale_days, toInt32(0)), pipeline_id"

// scanStage reads one stage row.
func scanStage(scan func(...any) error) (stageMeta, error) {
	var s stageMeta
	err := scan(&s.ID, &s.Code, &s.Name, &s.Position, &s.Kind, &s.Probability, &s.Group, &s.StaleDays, &s.pipelineID)
	return s, err
}

// loadStages fills m.Stages in position order and numbers the steps.
func loadStages(ctx context.Context, db *olap.DB, m *pipelineMeta) error {
	q := olap.SQL(db.Current("stages", stageColumns)+" AND pipeline_id = ?\nORDER BY position, id", m.ID)
	var step int32
	err := db.Each(ctx, "stages of "+m.Code, q, func(scan func(...any) error) error {
		s, err := scanStage(scan)
		if err != nil {
			return err
		}
		if s.Kind == domain.KindOpen || s.Kind == domain.KindWon {
			step++
			s.Step = step
		}
		m.Stages = append(m.Stages, s)
		return nil
	})
	if err != nil {
		return err
	}
	if step == 0 {
		return apperr.Field("pipeline", "no_steps", "the pipeline has no open or won stages")
	}
	return nil
}

// dealStages reads the stages of every deal pipeline (for kinds that
// span pipelines): ids, kinds and positions for transform() in SQL.
func (r *run) dealStages(ctx context.Context) (*pipelineMeta, error) {
	q := olap.SQL(r.db.Current("stages", stageColumns) + " AND pipeline_id IN (" +
		r.db.Current("pipelines", "id") + " AND entity = 'deal')\nORDER BY pipeline_id, position, id")
	m := &pipelineMeta{}
	err := r.each(ctx, "deal stages", q, func(scan func(...any) error) error {
		s, err := scanStage(scan)
		m.Stages = append(m.Stages, s)
		return err
	})
	return m, err
}

// probabilityArrays are parallel arrays over the stages for the
// weighted amount in SQL (weightedRubSQL's {ids}, {probs}).
func (m *pipelineMeta) probabilityArrays() (ids []int64, probs []int16) {
	ids, probs = make([]int64, 0, len(m.Stages)), make([]int16, 0, len(m.Stages))
	for _, s := range m.Stages {
		ids, probs = append(ids, s.ID), append(probs, s.Probability)
	}
	return ids, probs
}

// forwardArrays are parallel arrays over the stages for the forward-move
// test in SQL: ids, kinds, positions.
func (m *pipelineMeta) forwardArrays() (ids []int64, kinds []string, pos []int32) {
	for _, s := range m.Stages {
		ids, kinds, pos = append(ids, s.ID), append(kinds, s.Kind), append(pos, s.Position)
	}
	return ids, kinds, pos
}
