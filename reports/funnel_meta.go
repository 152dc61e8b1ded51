package reports

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
	q := "SELECT id, name, entity FROM " + db.Table("pipelines") + " FINAL WHERE _deleted = 0 AND code = ?"
	var m pipelineMeta
	var entity string
	rows, err := db.Query(ctx, olap.SQL(q, code))
	if err != nil {
		return nil, fmt.Errorf("pipeline %s: %w", code, err)
	}
	found := false
	for rows.Next() {
		found = true
		if err := rows.Scan(&m.ID, &m.Name, &entity); err != nil {
			rows.Close()
			return nil, err
		}
	}
	rows.Close()
	switch {
	case !found:
		return nil, apperr.Field(field, "unknown_pipeline", fmt.Sprintf("no pipeline %q", code))
	case entity != "deal":
		return nil, apperr.Field(field, "not_deal_pipeline", fmt.Sprintf("pipeline %q holds leads, not deals", code))
	}
	m.Code = code
	return &m, loadStages(ctx, db, &m)
}

// loadStages fills m.Stages in position order and numbers the steps.
func loadStages(ctx context.Context, db *olap.DB, m *pipelineMeta) error {
	q := `SELECT id, code, name, position, kind, probability, stage_group
FROM ` + db.Table("stages") + ` FINAL
WHERE _deleted = 0 AND pipeline_id = ?
ORDER BY position, id`
	rows, err := db.Query(ctx, olap.SQL(q, m.ID))
	if err != nil {
		return fmt.Errorf("stages of %s: %w", m.Code, err)
	}
	defer rows.Close()
	var step int32
	for rows.Next() {
		var s stageMeta
		if err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.Position, &s.Kind, &s.Probability, &s.Group); err != nil {
			return err
		}
		if s.Kind == domain.KindOpen || s.Kind == domain.KindWon {
			step++
			s.Step = step
		}
		m.Stages = append(m.Stages, s)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if step == 0 {
		return apperr.Field("pipeline", "no_steps", "the pipeline has no open or won stages")
	}
	return nil
}

// loadDealStages reads the stages of every deal pipeline (for kinds that
// span pipelines): ids, kinds and positions for transform() in SQL.
func loadDealStages(ctx context.Context, db *olap.DB) (*pipelineMeta, error) {
	q := `SELECT id, code, name, position, kind, probability, stage_group
FROM ` + db.Table("stages") + ` FINAL
WHERE _deleted = 0 AND pipeline_id IN (SELECT id FROM ` + db.Table("pipelines") + ` FINAL WHERE _deleted = 0 AND entity = 'deal')
ORDER BY pipeline_id, position, id`
	rows, err := db.Query(ctx, olap.SQL(q))
	if err != nil {
		return nil, fmt.Errorf("deal stages: %w", err)
	}
	defer rows.Close()
	m := &pipelineMeta{}
	for rows.Next() {
		var s stageMeta
		if err := rows.Scan(&s.ID, &s.Code, &s.Name, &s.Position, &s.Kind, &s.Probability, &s.Group); err != nil {
			return nil, err
		}
		m.Stages = append(m.Stages, s)
	}
	return m, rows.Err()
}

// forwardArrays are parallel arrays over the stages for the forward-move
// test in SQL: ids, kinds, positions.
func (m *pipelineMeta) forwardArrays() (ids []int64, kinds []string, pos []int32) {
	for _, s := range m.Stages {
		ids, kinds, pos = append(ids, s.ID), append(kinds, s.Kind), append(pos, s.Position)
	}
	return ids, kinds, pos
}
