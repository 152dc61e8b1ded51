package kinds

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// scope is what every report kind but the grouped one resolves before
// its SQL, without the database: who asks, which deals (those of the
// pipeline, or of every deal pipeline, created in [from, to)), the instant
// the answer is as of, and for a funnel its mode, snapshot instant,
// window and breakdown. The pipeline's stages are read when the kind
// runs (run.pipeline), so a cached answer reads nothing.
type scope struct {
	p        domain.Principal
	pipeline string // the pipeline's code, "" for kinds over every deal pipeline
	field    string // the request field naming the pipeline, for its errors
	from, to time.Time
	period   bool // from and to come from a period (else from is zero and to just after now)
	now      time.Time
	loc      *time.Location // the period's zone (funnels; nil for the other kinds)
	lang     string
	// responsible narrows the deals to one responsible user (0: any of
	// those p may see); the stage percentages' params.responsible.
	responsible int64

	mode      string    // funnel: ModeReached or ModeCurrent
	asOf      time.Time // funnel, current mode: the snapshot instant (inclusive)
	window    int       // funnel, reached mode: window_days (0: none)
	breakdown *breakdownField
}

// checkPeriod validates what a kind asks of its period (required or not,
// no field of its own); planScope resolves it.
func checkPeriod(def *reports.Definition, needPeriod bool) error {
	if def.Period == nil {
		if needPeriod {
			return apperr.Field("period", "required", "this report needs a period")
		}
		return nil
	}
	if f := def.Period.Field; f != "" && f != "created_at" {
		return apperr.Field("period.field", "not_allowed", "this report kind decides by its own dates; leave period.field out")
	}
	return nil
}

// planScope validates def's period and resolves it at now (to the
// second) for principal p over the pipeline with this code ("" for
// none).
func planScope(def *reports.Definition, p domain.Principal, now time.Time, pipeline string, needPeriod bool) (*scope, error) {
	if err := checkPeriod(def, needPeriod); err != nil {
		return nil, err
	}
	s := &scope{p: p, pipeline: pipeline, field: "params.pipeline", now: now.UTC().Truncate(time.Second), lang: def.Lang}
	s.to = s.now.Add(time.Second)
	if def.Period != nil {
		r, err := def.Period.Resolve(s.now, "period")
		if err != nil {
			return nil, err
		}
		s.from, s.to, s.period = r.From, r.To, true
	}
	return s, nil
}

// meta fills a kind's result meta.
func (s *scope) resultMeta(start time.Time, sqlTime time.Duration, rows int) reports.Meta {
	m := reports.Meta{ElapsedMS: time.Since(start).Milliseconds(), RowCount: rows, DataAsOf: s.now, SQLMS: sqlTime.Milliseconds()}
	if s.period {
		m.From, m.To = s.from, s.to
	}
	return m
}

// run is a scope bound to the ClickHouse copy for one run: the pipeline
// as it is now (nil for none) and the time spent in ClickHouse so far.
type run struct {
	*scope
	db      *olap.DB
	meta    *pipelineMeta
	sqlTime time.Duration
}

// start reads the scope's pipeline (when it names one) for a run on db.
func (s *scope) start(ctx context.Context, db *olap.DB) (*run, error) {
	r := &run{scope: s, db: db.AtClock(s.now)}
	if s.pipeline != "" {
		m, err := loadPipeline(ctx, db, s.pipeline, s.field)
		if err != nil {
			return nil, err
		}
		r.meta = m
	}
	return r, nil
}

// access is the principal's row filter on this run's tables.
func (r *run) access() dataset.Access { return dataset.NewAccess(r.db.Names, r.p) }

// deals is the run's deal set: the pipeline's (or every) deals created in
// the period that p may see; key is the breakdown expression ("" none).
// A snapshot (current mode) covers the deals created by as_of.
func (r *run) deals(key string, joins []dataset.Lookup) dealSet {
	set := dealSet{names: r.db.Names, from: r.from, to: r.to, key: key, joins: joins,
		responsible: r.responsible, access: r.access().Deals("id", "responsible_id")}
	if r.meta != nil {
		set.pipelineID = r.meta.ID
	}
	if r.mode == reports.ModeCurrent {
		set.to = r.asOf.Add(time.Second) // created at or before as_of
		if r.period && r.to.Before(set.to) {
			set.to = r.to
		}
	}
	return set
}

// each runs q and hands every row to each; the time counts as SQL time.
func (r *run) each(ctx context.Context, what string, q olap.Fragment, each func(scan func(...any) error) error) error {
	t := time.Now()
	err := r.db.Each(ctx, what, q, each)
	r.sqlTime += time.Since(t)
	return err
}
