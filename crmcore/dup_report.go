package crmcore

import (
	"context"
	"fmt"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// DupGroup is a set of records of one entity sharing one key.
type DupGroup struct {
	Entity  string      `json:"entity"`
	Reason  string      `json:"reason"`
	Key     string      `json:"key"`
	Records []DupRecord `json:"records"`
}

// DupRecord is one member of a duplicate group.
type DupRecord struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// maxGroups bounds the duplicates report per reason.
const maxGroups = 200

// DuplicateGroups lists groups of records of an entity (lead, contact,
// company) that share a key, largest first, per reason. A manager's
// lead groups hold only the leads they may see.
func (s *Store) DuplicateGroups(ctx context.Context, p domain.Principal, entity string) ([]DupGroup, error) {
	t, ok := map[string]dupTable{EntityLead: dupLeads, EntityContact: dupContacts, EntityCompany: dupCompanies}[entity]
	if !ok {
		return nil, apperr.Field("entity", "invalid_value", "must be one of: lead, contact, company")
	}
	groups := []DupGroup{}
	for _, r := range DupReasons {
		if expr, ok := t.keys[r]; ok {
			g, err := t.groups(ctx, s.db, p, r, expr)
			if err != nil {
				return nil, err
			}
			groups = append(groups, g...)
		}
	}
	return groups, nil
}

func (t dupTable) groups(ctx context.Context, q Querier, p domain.Principal, reason, expr string) ([]DupGroup, error) {
	var visible sq.Sqlizer = sq.Expr("TRUE")
	if t.entity == EntityLead {
		visible = LeadVisible(p, t.resp)
	}
	inner := psql.Select("id", t.name+" AS name", expr+" AS k").From(t.table).Where(visible)
	query, args, err := psql.Select("k", "array_agg(id ORDER BY id)", "array_agg(name ORDER BY id)").
		FromSelect(inner, "x").Where("k IS NOT NULL").GroupBy("k").Having("count(*) > 1").
		OrderBy("count(*) DESC", "k").Limit(maxGroups).ToSql()
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("duplicate groups of %s by %s: %w", t.table, reason, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DupGroup, error) {
		g := DupGroup{Entity: t.entity, Reason: reason}
		var ids []int64
		var names []string
		if err := r.Scan(&g.Key, &ids, &names); err != nil {
			return g, err
		}
		for i := range ids {
			g.Records = append(g.Records, DupRecord{ID: ids[i], Name: names[i]})
		}
		return g, nil
	})
}
