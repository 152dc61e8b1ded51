package kinds

import (
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
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

// table is the deals table, current state.
func (s dealSet) table() string { return s.names.Table("deals") + " FINAL" }

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
// closed_at and rub (the amount in roubles, to the kopeck) of every deal.
func (s dealSet) rows() olap.Fragment {
	inner := s.source(sq.Select("id AS deal_id", s.keyExpr()+" AS key", "stage_id", "responsible_id",
		"created_at", "closed_at", "amount", "currency").Column(sq.Expr("toDate(created_at, ?) AS rate_date", reports.DefaultTZ)))
	lo, hi := rateSpan(s.from, s.to)
	return olap.Template{Text: `SELECT deal_id, key, stage_id, responsible_id, created_at, closed_at, ` + rubAmountSQL + ` AS rub
FROM ({deals}) AS deal_rows
ANY LEFT JOIN ({rates}) AS rate_rows USING currency, rate_date`,
		Slots: olap.Slots{"deals": inner, "rates": rateDays(s.names, lo, hi)}}
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

// Amounts in reports are roubles, as the datasets convert them
// (rateLookups): a deal's amount times the rate of its currency valid on
// its creation date in Moscow (the latest currency_rates row with
// valid_from <= that date), rounded half up to the kopeck per deal; no
// such rate gives 0. ClickHouse 18.16 has no ASOF JOIN, and it crashes on
// groupArray over Decimal128 and cannot capture outer columns in lambdas
// over array columns, so the rates become a small day-by-day table built
// from the mirror (one row per currency and day of the span asked for,
// the rate as text) joined on (currency, rate_date): a hash join whose
// right side is a few thousand rows.

// rubAmountSQL is the rouble amount of a row joined with rateDaysSQL,
// rounded half up to the kopeck (amounts are never negative).
const rubAmountSQL = "toDecimal128(toDecimal128(amount, 2) * toDecimal128(if(rate = '', '0', rate), 8) + toDecimal128('0.005', 3), 2)"

// rateDays is a subquery of (currency, rate_date, rate) for every day
// in [from, to) (dates in the report's zone): what `ANY LEFT JOIN (…)
// USING currency, rate_date` needs. Bounds are bound values.
func rateDays(names olap.Names, from, to time.Time) olap.Fragment {
	const day = "2006-01-02"
	return olap.Template{Text: `SELECT code AS currency, toDate(greatest(f, toDate({lo})) + k) AS rate_date, r AS rate
FROM (
  SELECT code, h[i].1 AS f, h[i].2 AS r, if(i < length(h), h[i + 1].1, toDate({hi})) AS e
  FROM (
    SELECT code, arraySort(groupArray((valid_from, toString(rate)))) AS h
    FROM ` + names.Table("currency_rates") + ` FINAL
    WHERE _deleted = 0
    GROUP BY code
  )
  ARRAY JOIN arrayEnumerate(h) AS i
)
ARRAY JOIN range(toUInt32(greatest(0, toInt32(least(e, toDate({hi}))) - toInt32(greatest(f, toDate({lo})))))) AS k`,
		Slots: olap.Slots{"lo": from.Format(day), "hi": to.Format(day)}}
}

// rateSpan is the date span of rates a query over deals created in
// [from, to) needs, in Moscow dates: from's date to the day after to's.
func rateSpan(from, to time.Time) (time.Time, time.Time) {
	msk, err := time.LoadLocation(reports.DefaultTZ)
	if err != nil {
		panic(err) // the zone database is embedded in every build that runs reports
	}
	if from.IsZero() || from.Year() < 1970 {
		from = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	}
	return from.In(msk), to.In(msk).AddDate(0, 0, 1)
}
