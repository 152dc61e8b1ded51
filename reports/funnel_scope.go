package reports

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// kindScope is what the non-grouped kinds resolve first: the principal,
// the pipeline (nil when the kind covers every deal pipeline), the period
// as [from, to) (from zero when the definition has none: everything up
// to now) and the clock.
type kindScope struct {
	p        domain.Principal
	meta     *pipelineMeta
	from, to time.Time
	now      time.Time
	period   bool
}

// checkScope validates a kind's period (required or not) without the
// database; the pipeline is checked when the scope is resolved.
func checkScope(def *Definition, needPeriod bool) error {
	if def.Period == nil {
		if needPeriod {
			return apperr.Field("period", "required", "this report needs a period")
		}
		return nil
	}
	if f := def.Period.Field; f != "" && f != "created_at" {
		return apperr.Field("period.field", "not_allowed", "this report kind decides by its own dates; leave period.field out")
	}
	_, err := def.Period.Resolve(kindValidationNow, "period")
	return err
}

// kindValidationNow resolves presets when only their shape is checked:
// the instant does not change whether a period is valid.
var kindValidationNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// scope resolves def's period and the pipeline with this code ("" for
// none) for principal p.
func (e *Engine) scope(ctx context.Context, p domain.Principal, def *Definition, pipeline string) (*kindScope, error) {
	s := &kindScope{p: p, now: e.now().UTC().Truncate(time.Second)}
	s.to = s.now.Add(time.Second)
	if def.Period != nil {
		r, err := def.Period.Resolve(s.now, "period")
		if err != nil {
			return nil, err
		}
		s.from, s.to, s.period = r.From, r.To, true
	}
	if pipeline != "" {
		m, err := loadPipeline(ctx, e.CH, pipeline, "params.pipeline")
		if err != nil {
			return nil, err
		}
		s.meta = m
	}
	return s, nil
}

// deals is the scope's deal set: the pipeline's (or every) deals created
// in the period that p may see.
func (e *Engine) deals(s *kindScope, key string) (dealSet, error) {
	access, err := e.Access(s.p).Deals("id", "responsible_id")
	if err != nil {
		return dealSet{}, err
	}
	set := dealSet{db: e.CH, from: s.from, to: s.to, key: key, access: access}
	if s.meta != nil {
		set.pipelineID = s.meta.ID
	}
	return set, nil
}

// meta fills a kind's result meta.
func (s *kindScope) resultMeta(start time.Time, sqlTime time.Duration, rows int) Meta {
	m := Meta{ElapsedMS: time.Since(start).Milliseconds(), RowCount: rows, DataAsOf: s.now, SQLMS: sqlTime.Milliseconds()}
	if s.period {
		m.From, m.To = s.from, s.to
	}
	return m
}
