package crmcore

import (
	"context"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// Paging limits of every list.
const (
	ListLimitDefault = 50
	ListLimitMax     = 500
)

// DealFilter narrows ListDeals. Zero values mean "any"; Limit 0 means
// ListLimitDefault. Pipeline and Stage are codes; Q is a case-insensitive
// substring of the title.
type DealFilter struct {
	Pipeline      string
	Stage         string
	ResponsibleID int64
	Q             string
	Limit         int
	Offset        int
}

// checkListPage validates and defaults paging.
func checkListPage(limit, offset *int) error {
	if *limit == 0 {
		*limit = ListLimitDefault
	}
	if *limit < 1 || *limit > ListLimitMax {
		return apperr.Field("limit", "out_of_range", "must be 1 to 500")
	}
	if *offset < 0 {
		return apperr.Field("offset", "out_of_range", "must not be negative")
	}
	return nil
}

// ListDeals returns one page of the deals p may read, newest id first,
// and the count of all of them matching f.
func (s *Store) ListDeals(ctx context.Context, p domain.Principal, f DealFilter) ([]Deal, int, error) {
	if err := checkListPage(&f.Limit, &f.Offset); err != nil {
		return nil, 0, err
	}
	conds, err := s.dealConds(ctx, p, f)
	if err != nil {
		return nil, 0, err
	}
	items, total, err := listRowsCounted(ctx, s.db, "deals d", dealFrom, conds, "d.id DESC", f.Limit, f.Offset, dealColumns, scanDeal)
	return items, total, pgerr.Translate(err, "deals")
}

// dealConds turns a filter into conditions on deals d (no joins needed),
// starting with what p may see. Unknown codes are 422 naming the filter.
func (s *Store) dealConds(ctx context.Context, p domain.Principal, f DealFilter) (sq.And, error) {
	conds := sq.And{DealVisible(p, "d.id", "d.responsible_id")}
	var v check
	v.text("q", f.Q, false, domain.MaxTitle)
	v.id("responsible_id", f.ResponsibleID, false)
	if v.Err != nil {
		return nil, v.Err
	}
	var pipes []Pipeline
	if f.Pipeline != "" {
		pl, err := s.dealPipeline(ctx, s.db, f.Pipeline, "pipeline")
		if err != nil {
			return nil, err
		}
		pipes = []Pipeline{*pl}
		conds = append(conds, sq.Eq{"d.pipeline_id": pl.ID})
	}
	if f.Stage != "" {
		ids, err := s.stageIDsByCode(ctx, pipes, f.Stage)
		if err != nil {
			return nil, err
		}
		conds = append(conds, sq.Eq{"d.stage_id": ids})
	}
	if f.ResponsibleID != 0 {
		conds = append(conds, sq.Eq{"d.responsible_id": f.ResponsibleID})
	}
	if f.Q != "" {
		conds = append(conds, sq.Expr("strpos(lower(d.title), lower(?)) > 0", f.Q))
	}
	return conds, nil
}

// stageIDsByCode finds the ids of the stages with this code in the given
// pipelines (every deal pipeline when none is given); none is a 422.
func (s *Store) stageIDsByCode(ctx context.Context, pipes []Pipeline, code string) ([]int64, error) {
	if pipes == nil {
		all, err := s.Pipelines(ctx)
		if err != nil {
			return nil, err
		}
		for _, pl := range all {
			if pl.Entity == "deal" {
				pipes = append(pipes, pl)
			}
		}
	}
	var ids []int64
	for _, pl := range pipes {
		if st, ok := pl.Stage(code); ok {
			ids = append(ids, st.ID)
		}
	}
	if len(ids) == 0 {
		return nil, apperr.Field("stage", "unknown_stage", "no deal stage with code "+quote(code))
	}
	return ids, nil
}
