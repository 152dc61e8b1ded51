package crmcore

import (
	"context"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// ListLeads returns one page of the leads p may read, newest id first,
// and the count of all of them matching f.
func (s *Store) ListLeads(ctx context.Context, p domain.Principal, f LeadFilter) ([]Lead, int, error) {
	if err := checkListPage(&f.Limit, &f.Offset); err != nil {
		return nil, 0, err
	}
	conds, err := s.leadConds(ctx, p, f)
	if err != nil {
		return nil, 0, err
	}
	items, total, err := listRowsCounted(ctx, s.db, "leads l", leadFrom, conds, "l.id DESC", f.Limit, f.Offset, leadColumns, scanLead)
	return items, total, pgerr.Translate(err, "leads")
}

// leadConds turns a filter into conditions on leads l, starting with
// what p may see. Unknown codes are 422 naming the filter.
func (s *Store) leadConds(ctx context.Context, p domain.Principal, f LeadFilter) (sq.And, error) {
	conds := sq.And{LeadVisible(p, "l.responsible_id")}
	var v check
	v.text("q", f.Q, false, domain.MaxTitle)
	v.text("source", f.Source, false, 32)
	v.id("responsible_id", f.ResponsibleID, false)
	if v.Err != nil {
		return nil, v.Err
	}
	if f.Status != "" {
		pl, err := s.Pipeline(ctx, LeadPipeline, "status")
		if err != nil {
			return nil, err
		}
		st, ok := pl.Stage(f.Status)
		if !ok {
			return nil, apperr.Field("status", "unknown_status", "no lead status "+quote(f.Status))
		}
		conds = append(conds, sq.Eq{"l.stage_id": st.ID})
	}
	if f.Source != "" {
		conds = append(conds, sq.Eq{"l.source": f.Source})
	}
	if f.ResponsibleID != 0 {
		conds = append(conds, sq.Eq{"l.responsible_id": f.ResponsibleID})
	}
	if f.Q != "" {
		conds = append(conds, sq.Expr("strpos(lower(l.title), lower(?)) > 0", f.Q))
	}
	return conds, nil
}
