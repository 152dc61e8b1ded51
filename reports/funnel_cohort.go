package reports

import (
	"strconv"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
)

// dealSet is the set of deals a kind looks at: current state (FINAL, not
// deleted) of one pipeline (or all when pipelineID is 0), created in
// [from, to) (a zero from: no lower bound), restricted by the principal's
// access condition. Key is a whitelisted SQL expression over deals
// columns that a breakdown groups by (empty for none).
type dealSet struct {
	db         *olap.DB
	pipelineID int64
	from, to   time.Time
	key        string
	joins      []Lookup // lookups the key reads (a deals dataset field)
	access     sq.Sqlizer
}

// where is the condition on the deals table.
func (s dealSet) where() sq.And {
	w := sq.And{sq.Eq{"_deleted": 0}, s.access}
	if s.pipelineID != 0 {
		w = append(w, sq.Eq{"pipeline_id": s.pipelineID})
	}
	if !s.from.IsZero() {
		w = append(w, sq.Expr("created_at >= toDateTime(?, 'UTC')", s.from.Unix()))
	}
	return append(w, sq.Expr("created_at < toDateTime(?, 'UTC')", s.to.Unix()))
}

// ids is `SELECT id FROM deals …`, for `deal_id IN (…)`.
func (s dealSet) ids() (string, []any, error) {
	return sq.Select("id").From(s.db.Table("deals") + " FINAL").Where(s.where()).ToSql()
}

// created is (deal_id, created_at) of every deal.
func (s dealSet) created() (string, []any, error) {
	return sq.Select("id AS deal_id", "created_at").From(s.db.Table("deals") + " FINAL").Where(s.where()).ToSql()
}

// keys is (deal_id, key) of every deal.
func (s dealSet) keys() (string, []any, error) {
	return s.source(sq.Select("id AS deal_id", s.keyExpr()+" AS key")).ToSql()
}

// source completes a select of deals columns (and the key) with its
// FROM: the set's deals, joined with the lookups the key reads.
func (s dealSet) source(sel sq.SelectBuilder) sq.SelectBuilder {
	if len(s.joins) == 0 {
		return sel.From(s.db.Table("deals") + " FINAL").Where(s.where())
	}
	src := sq.Select("*").From(s.db.Table("deals") + " FINAL").Where(s.where())
	for i, l := range s.joins {
		cols := "*"
		if l.Extra != "" {
			cols += ", " + l.Extra
		}
		right := "SELECT " + l.Select + " FROM " + s.db.Table(l.Table) + " FINAL WHERE _deleted = 0"
		if l.GroupBy != "" {
			right += " GROUP BY " + l.GroupBy
		}
		src = sq.Select(cols).FromSelect(src, "j"+strconv.Itoa(i)).JoinClause("ANY LEFT JOIN (" + right + ") AS jr" + strconv.Itoa(i) + " USING (" + l.Using + ")")
	}
	return sel.FromSelect(src, "k")
}

// rows selects deal_id, key, stage_id, responsible_id, created_at,
// closed_at and rub (the amount in roubles, to the kopeck) of every deal.
func (s dealSet) rows() (string, []any, error) {
	inner, args, err := s.source(sq.Select("id AS deal_id", s.keyExpr()+" AS key", "stage_id", "responsible_id",
		"created_at", "closed_at", "amount", "currency").Column(sq.Expr("toDate(created_at, ?) AS rate_date", DefaultTZ))).ToSql()
	if err != nil {
		return "", nil, err
	}
	lo, hi := rateSpan(s.from, s.to)
	rates, rargs := rateDaysSQL(s.db, lo, hi)
	q := "SELECT deal_id, key, stage_id, responsible_id, created_at, closed_at, " + rubAmountSQL + " AS rub\nFROM (" +
		inner + ") AS deal_rows\nANY LEFT JOIN (" + rates + ") AS rate_rows USING currency, rate_date"
	return q, append(args, rargs...), nil
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
func (s dealSet) withKeys(cols, sub string) (string, []any, error) {
	if s.key == "" {
		return "SELECT " + cols + ", '' AS key FROM (" + sub + ")", nil, nil
	}
	keys, args, err := s.keys()
	if err != nil {
		return "", nil, err
	}
	return "SELECT " + cols + ", key FROM (" + sub + ") AS sub_rows\nALL INNER JOIN (" + keys + ") AS key_rows USING deal_id", args, nil
}
