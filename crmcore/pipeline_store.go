package crmcore

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

var codeRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// pipelineCache keeps the pipelines in memory for a few seconds: every deal
// move needs its graph, and pipelines change rarely. CreatePipeline clears
// it in this process; other processes see the change within cacheTTL.
type pipelineCache struct {
	mu     sync.Mutex
	loaded time.Time
	list   []Pipeline
}

const cacheTTL = 5 * time.Second

func (s *Store) cache() *pipelineCache { return &s.pipes }

// Pipelines lists every pipeline with its stages (by position) and
// transitions.
func (s *Store) Pipelines(ctx context.Context) ([]Pipeline, error) { return s.pipelines(ctx, s.db) }

// Pipeline returns one pipeline by code; field names the input at fault.
func (s *Store) Pipeline(ctx context.Context, code, field string) (*Pipeline, error) {
	return s.pipelineByCode(ctx, s.db, code, field)
}

// PipelineByID returns one pipeline by id.
func (s *Store) PipelineByID(ctx context.Context, id int64) (*Pipeline, error) {
	return s.pipelineByID(ctx, s.db, id)
}

// pipelines serves the cache, reloading it through q when stale. Code
// inside a transaction passes its tx: loading through the pool there
// would take a second connection per request, and under load every
// connection would end up waiting for another (a pool deadlock). The lock
// is not held while loading, for the same reason.
func (s *Store) pipelines(ctx context.Context, q Querier) ([]Pipeline, error) {
	c := s.cache()
	c.mu.Lock()
	list, fresh := c.list, time.Since(c.loaded) < cacheTTL
	c.mu.Unlock()
	if list != nil && fresh {
		return list, nil
	}
	list, err := loadPipelines(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.list, c.loaded = list, time.Now()
	c.mu.Unlock()
	return list, nil
}

func (s *Store) pipelineByCode(ctx context.Context, q Querier, code, field string) (*Pipeline, error) {
	list, err := s.pipelines(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Code == code {
			return &list[i], nil
		}
	}
	return nil, apperr.Field(field, "unknown_pipeline", "no pipeline with code "+quote(code))
}

func (s *Store) pipelineByID(ctx context.Context, q Querier, id int64) (*Pipeline, error) {
	list, err := s.pipelines(ctx, q)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, apperr.NotFoundf("pipeline %d not found", id)
}

func loadPipelines(ctx context.Context, q Querier) ([]Pipeline, error) {
	const qp = `SELECT id, code, name, entity FROM pipelines ORDER BY id`
	rows, _ := q.Query(ctx, qp)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Pipeline, error) {
		var p Pipeline
		err := r.Scan(&p.ID, &p.Code, &p.Name, &p.Entity)
		p.Stages, p.Transitions = []Stage{}, []Transition{}
		return p, err
	})
	if err != nil {
		return nil, err
	}
	idx := map[int64]*Pipeline{}
	for i := range list {
		idx[list[i].ID] = &list[i]
	}
	const qs = `
SELECT pipeline_id, id, code, name, position, kind, probability, stage_group, stale_days
FROM stages
ORDER BY pipeline_id, position, id`
	rows, _ = q.Query(ctx, qs)
	var pid int64
	var st Stage
	_, err = pgx.ForEachRow(rows, []any{&pid, &st.ID, &st.Code, &st.Name, &st.Position, &st.Kind, &st.Probability, &st.Group, &st.StaleDays}, func() error {
		idx[pid].Stages = append(idx[pid].Stages, st)
		st.StaleDays = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	const qt = `
SELECT t.pipeline_id, f.code, tt.code
FROM stage_transitions t
JOIN stages f ON f.id = t.from_stage_id
JOIN stages tt ON tt.id = t.to_stage_id
ORDER BY t.pipeline_id, f.position, tt.position`
	rows, _ = q.Query(ctx, qt)
	var tr Transition
	_, err = pgx.ForEachRow(rows, []any{&pid, &tr.From, &tr.To}, func() error {
		idx[pid].Transitions = append(idx[pid].Transitions, tr)
		return nil
	})
	return list, err
}

// CreatePipeline stores a new pipeline (admins only); Entity "" is a
// deal pipeline. Positions are stored as given, so they must be distinct
// (0-based numbering is as good as 1-based); when no stage gives one,
// the order of Stages is the order, numbered 1..n. A repeated position
// is refused, never renumbered (docs/api.md, "Pipelines").
func (s *Store) CreatePipeline(ctx context.Context, p domain.Principal, in Pipeline) (*Pipeline, error) {
	if p.Role != domain.RoleAdmin {
		return nil, apperr.New(apperr.Forbidden, "forbidden", "only an admin may configure pipelines")
	}
	if in.Entity == "" {
		in.Entity = "deal"
	}
	in.Stages = slices.Clone(in.Stages)
	numberUnpositioned(in.Stages)
	if err := in.Validate(); err != nil { // before sorting: error fields index the stages as sent
		return nil, err
	}
	sort.SliceStable(in.Stages, func(i, j int) bool { return in.Stages[i].Position < in.Stages[j].Position })
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		const qp = `INSERT INTO pipelines (code, name, entity) VALUES ($1, $2, $3) RETURNING id`
		if err := tx.QueryRow(ctx, qp, in.Code, in.Name, in.Entity).Scan(&in.ID); err != nil {
			return pgerr.Translate(err, "pipeline")
		}
		ids := map[string]int64{}
		for i, st := range in.Stages {
			const qs = `
INSERT INTO stages (pipeline_id, code, name, position, kind, probability, stage_group, stale_days)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`
			if err := tx.QueryRow(ctx, qs, in.ID, st.Code, st.Name, st.Position, st.Kind, st.Probability, st.Group, st.StaleDays).Scan(&in.Stages[i].ID); err != nil {
				return pgerr.Translate(err, "stage")
			}
			ids[st.Code] = in.Stages[i].ID
		}
		for _, t := range in.Transitions {
			const qt = `
INSERT INTO stage_transitions (pipeline_id, from_stage_id, to_stage_id)
VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
			if _, err := tx.Exec(ctx, qt, in.ID, ids[t.From], ids[t.To]); err != nil {
				return pgerr.Translate(err, "transition")
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.forgetPipelines()
	return s.Pipeline(ctx, in.Code, "code")
}

// forgetPipelines clears this process's pipeline cache after a change.
func (s *Store) forgetPipelines() {
	s.cache().mu.Lock()
	s.cache().list = nil
	s.cache().mu.Unlock()
}

// SetStaleDays sets the stale-deal rule of stage id of the pipeline with
// this code (admins and directors): days > 0, or nil to clear it. A
// stage of another pipeline is 404; 0, a negative number or a won or
// lost stage is 422 on stale_days, and nothing is written. It answers
// the pipeline as it is now.
func (s *Store) SetStaleDays(ctx context.Context, p domain.Principal, code string, id int64, days *int) (*Pipeline, error) {
	if p.Role != domain.RoleAdmin && p.Role != domain.RoleDirector {
		return nil, apperr.New(apperr.Forbidden, "forbidden", "only an admin or a director may set a stage's stale-deal rule")
	}
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		var kind string
		const qk = `
SELECT s.kind FROM stages s JOIN pipelines pl ON pl.id = s.pipeline_id
WHERE pl.code = $1 AND pl.entity = 'deal' AND s.id = $2
FOR UPDATE OF s`
		if err := tx.QueryRow(ctx, qk, code, id).Scan(&kind); err != nil {
			return pgerr.Translate(err, "stage")
		}
		var v check
		checkStaleDays(&v, "stale_days", kind, days)
		if v.Err != nil {
			return v.Err
		}
		const qu = `UPDATE stages SET stale_days = $2 WHERE id = $1`
		_, err := tx.Exec(ctx, qu, id, days)
		return pgerr.Translate(err, "stage")
	})
	if err != nil {
		return nil, err
	}
	s.forgetPipelines()
	return s.Pipeline(ctx, code, "code")
}

// numberUnpositioned numbers the stages 1..n in their order when none
// has a position (JSON cannot tell an absent position from 0, so all
// zero is "none given").
func numberUnpositioned(stages []Stage) {
	for _, st := range stages {
		if st.Position != 0 {
			return
		}
	}
	for i := range stages {
		stages[i].Position = i + 1
	}
}

func quote(s string) string { return "\"" + s + "\"" }
