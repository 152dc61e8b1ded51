package kinds

import (
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/dataset"
)

// dealSet is the set of deals a kind looks at: current state (FINAL, not
// deleted) of one pipeline (or all when pipelineID is 0), created in
// [from, to) (a zero from: no lower bound), of one responsible user (or
// any when responsible is 0), restricted by the principal's access
// condition. Key is a whitelisted SQL expression over deals
// columns that a breakdown groups by (empty for none).
type dealSet struct {
	names       olap.Names
	pipelineID  int64
	from, to    time.Time
	responsible int64
	key         string
	joins       []dataset.Lookup // lookups the key reads (a deals dataset field)
	access      sq.Sqlizer
}

// where is the condition on the deals table.
func (s dealSet) where() sq.And {
	w := sq.And{sq.Eq{"_deleted": 0}, s.access}
	if s.pipelineID != 0 {
		w = append(w, sq.Eq{"pipeline_id": s.pipelineID})
	}
	if s.responsible != 0 {
		w = append(w, sq.Eq{"responsible_id": s.responsible})
	}
	if !s.from.IsZero() {
		w = append(w, sq.Expr("created_at >= toDateTime(?, 'UTC')", s.from.Unix()))
	}
	return append(w, sq.Expr("created_at < toDateTime(?, 'UTC')", s.to.Unix()))
}

// table is the deals' facts, current state: every deals column (what
// conditions and breakdowns read) and what ingest derives per deal.
func (s dealSet) table() string { return s.names.Table(olap.DealFactsTable) + " FINAL" }

// ids is `SELECT id FROM deals …`, for `deal_id IN (…)`.
func (s dealSet) ids() sq.SelectBuilder { return sq.Select("id").From(s.table()).Where(s.where()) }

// keys is (deal_id, key) of every deal.
func (s dealSet) keys() sq.SelectBuilder {
	return s.source(sq.Select("id AS deal_id", s.keyExpr()+" AS key"))
}

// source completes a select of deals columns (and the key) with its
// FROM: the set's deals, joined with the lookups the key reads.
func (s dealSet) source(sel sq.SelectBuilder) sq.SelectBuilder {
	if len(s.joins) == 0 {
		return sel.From(s.table()).Where(s.where())
	}
	src := sq.Select("*").From(s.table()).Where(s.where())
	return sel.FromSelect(s.names.JoinLookups(src, "j", dataset.Joins(s.joins)), "k")
}

// rows selects deal_id, key, stage_id, responsible_id, created_at,
// closed_at and rub (the amount in roubles, to the kopeck) of every deal,
// and the extra columns of deal_facts named (its path: times, stages,
// froms), if any. The facts carry the rouble amount (olap.RubAmountSQL at
// the rate of the creation date) and the path, kept by ingest, so no
// rates or paths are joined here.
func (s dealSet) rows(extra ...string) olap.Fragment {
	cols := append([]string{"id AS deal_id", s.keyExpr() + " AS key", "stage_id", "responsible_id", "created_at", "closed_at", "rub"}, extra...)
	return s.source(sq.Select(cols...))
}

func (s dealSet) keyExpr() string {
	if s.key == "" {
		return "''"
	}
	return s.key
}

// withKeys selects cols of sub (which has deal_id) and each deal's key,
// joined from the set's deals (which also drops rows of deals outside
// the set); with no key, an empty key and no join. The join is ALL: the
// keys are unique per deal, so every row of sub is kept once; ANY INNER
// JOIN would keep one row per deal on ClickHouse 20+ (18.16 kept all),
// see docs/clickhouse-versions.md.
func (s dealSet) withKeys(cols string, sub olap.Fragment) olap.Fragment {
	if s.key == "" {
		return olap.Template{Text: "SELECT " + cols + ", '' AS key FROM ({sub})", Slots: olap.Slots{"sub": sub}}
	}
	return olap.Template{Text: "SELECT " + cols + ", key FROM ({sub}) AS sub_rows\nALL INNER JOIN ({keys}) AS key_rows USING deal_id",
		Slots: olap.Slots{"sub": sub, "keys": s.keys()}}
}
