package seed

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5/pgxpool"
)

// stage is one stage of a pipeline as stored.
type stage struct {
	ID       int64
	Code     string
	Position int
	Kind     string // open, won, lost, paused
	reasons  []string
}

// pipeline is a pipeline's stages in position order and its allowed
// transitions, split by what a move means. All indexes point into Stages.
type pipeline struct {
	ID     int64
	Code   string
	Stages []stage
	First  int // the entry stage: the lowest position (an open stage if any)
	// Per stage: the allowed targets. forward: open stages further on in
	// position order, then won stages; back: open stages before, nearest first.
	forward, back, lost, paused [][]int
}

// loadPipelines reads the pipelines named by codes with their stages and
// transitions. The seed walks exactly this graph.
func loadPipelines(ctx context.Context, pool *pgxpool.Pool, codes ...string) ([]*pipeline, error) {
	out := make([]*pipeline, 0, len(codes))
	for _, code := range codes {
		p, err := loadPipeline(ctx, pool, code)
		if err != nil {
			return nil, fmt.Errorf("seed: pipeline %q: %w", code, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func loadPipeline(ctx context.Context, pool *pgxpool.Pool, code string) (*pipeline, error) {
	const qStages = `
SELECT p.id, s.id, s.code, s.position, s.kind
FROM pipelines p
JOIN stages s ON s.pipeline_id = p.id
WHERE p.code = $1
ORDER BY s.position, s.id`
	rows, err := pool.Query(ctx, qStages, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := &pipeline{Code: code}
	for rows.Next() {
		var s stage
		if err := rows.Scan(&p.ID, &s.ID, &s.Code, &s.Position, &s.Kind); err != nil {
			return nil, err
		}
		s.reasons = lostReasons(s.Code)
		p.Stages = append(p.Stages, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(p.Stages) == 0 {
		return nil, fmt.Errorf("no stages (run migrate)")
	}
	return p, p.loadTransitions(ctx, pool)
}

func (p *pipeline) loadTransitions(ctx context.Context, pool *pgxpool.Pool) error {
	const q = `
SELECT from_stage_id, to_stage_id
FROM stage_transitions
WHERE pipeline_id = $1
ORDER BY from_stage_id, to_stage_id`
	rows, err := pool.Query(ctx, q, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	adj := make([][]int, len(p.Stages))
	for rows.Next() {
		var from, to int64
		if err := rows.Scan(&from, &to); err != nil {
			return err
		}
		f, t := p.index(from), p.index(to)
		if f < 0 || t < 0 {
			return fmt.Errorf("transition %d→%d leaves the pipeline", from, to)
		}
		adj[f] = append(adj[f], t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p.classify(adj)
	return nil
}

func (p *pipeline) index(id int64) int {
	return slices.IndexFunc(p.Stages, func(s stage) bool { return s.ID == id })
}

// classify splits each stage's targets into forward, back, lost and paused
// moves. Stages are in position order, so index order is position order.
func (p *pipeline) classify(adj [][]int) {
	n := len(p.Stages)
	p.forward, p.back = make([][]int, n), make([][]int, n)
	p.lost, p.paused = make([][]int, n), make([][]int, n)
	p.First = slices.IndexFunc(p.Stages, func(s stage) bool { return s.Kind == "open" })
	if p.First < 0 {
		p.First = 0
	}
	for f, targets := range adj {
		slices.Sort(targets)
		var won []int
		for _, t := range targets {
			switch k := p.Stages[t].Kind; {
			case k == "won":
				won = append(won, t)
			case k == "lost":
				p.lost[f] = append(p.lost[f], t)
			case k == "paused":
				p.paused[f] = append(p.paused[f], t)
			case t > f:
				p.forward[f] = append(p.forward[f], t)
			default:
				p.back[f] = append([]int{t}, p.back[f]...)
			}
		}
		p.forward[f] = append(p.forward[f], won...)
	}
}

// stageOfKind is the first stage of the given kind, or -1.
func (p *pipeline) stageOfKind(kind string) int {
	return slices.IndexFunc(p.Stages, func(s stage) bool { return s.Kind == kind })
}
