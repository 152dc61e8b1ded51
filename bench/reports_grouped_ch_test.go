// The grouped report and the pivot written by hand for ClickHouse.

package bench

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// chDealsRub is the deals created in the year, current state, with
// their rouble amount (rate of the currency on the Moscow creation
// date, from the day-by-day rate table, half up to the kopeck) and the
// columns (expressions) {cols}.
const chDealsRub = `
  SELECT *, {rub} AS rub
  FROM (
    SELECT {cols}, amount, currency, toDate(created_at, 'Europe/Moscow') AS rate_date
    FROM {db}.{deals}
    WHERE _deleted = 0 AND created_at >= toDateTime(?, 'UTC') AND created_at < toDateTime(?, 'UTC'))
  {rates}`

// chUserName names the responsible: transform() over the users table
// read once per query (scalar subqueries), measured as fast as ANY LEFT
// JOIN users. Grouping by the name, as the definition asks: grouping by
// the id and naming the ~30 rows afterwards was 10% faster, but is
// another report when two users share a name.
const chUserName = `transform(responsible_id,
    (SELECT groupArray(id) FROM (SELECT id FROM {db}.users FINAL WHERE _deleted = 0 ORDER BY id)),
    (SELECT groupArray(name) FROM (SELECT id, name FROM {db}.users FINAL WHERE _deleted = 0 ORDER BY id)), '')`

// chGroupedSQL: by responsible × month, with totals; the weighted
// amount per deal is rub × the current stage's probability / 100, half
// up to the kopeck.
const chGroupedSQL = `
SELECT ` + chUserName + ` AS name, m, count() AS n, sum(rub) AS amount,
       sum(toDecimal128(toDecimal128(rub, 4) * transform(stage_id, ?, ?, toInt16(0)) / 100 + toDecimal128('0.005', 3), 2)) AS weighted
FROM ({deals_rub})
GROUP BY name, m WITH TOTALS`

// chPivotSQL: the cells by responsible × stage group; the totals are
// added up from them, as they are additive.
const chPivotSQL = `
SELECT ` + chUserName + ` AS name, transform(stage_id, ?, ?, '') AS grp, count() AS n, sum(rub) AS amount
FROM ({deals_rub})
GROUP BY name, grp`

// chDealsOptions vary the hand-written grouped queries for the design
// figures; the zero value is the query raced against Voronka.
type chDealsOptions struct {
	table   string // deals (default) or a copy with another sorting key
	noFinal bool   // read deals without FINAL: wrong until updates are merged
	noRub   bool   // sum the amounts unconverted (no rate join)
}

// chDeals fills a grouped statement's {…} and returns it with its
// arguments (head first, then those of chDealsRub).
func (f *reportsFixture) chDeals(q, cols string, o chDealsOptions, head ...any) (string, []any) {
	deals, rub, rates := "deals FINAL", chRubSQL, "ANY LEFT JOIN ("+chRateDays+") USING currency, rate_date"
	if o.table != "" {
		deals = o.table + " FINAL"
	}
	if o.noFinal {
		deals = strings.TrimSuffix(deals, " FINAL")
	}
	args := append(head, f.from.Unix(), f.to.Unix())
	if o.noRub {
		rub, rates = "toDecimal128(amount, 2)", ""
	} else {
		lo, hi := f.rateSpanDays()
		args = append(args, lo, hi, hi, lo)
	}
	q = strings.ReplaceAll(q, "{deals_rub}", chDealsRub)
	q = strings.NewReplacer("{cols}", cols, "{deals}", deals, "{rub}", rub, "{rates}", rates).Replace(q)
	return strings.ReplaceAll(q, "{db}", f.ch.Database), args
}

func (f *reportsFixture) clickhouseGrouped(ctx context.Context, s allStages, o chDealsOptions) (figures, error) {
	q, args := f.chDeals(chGroupedSQL, "responsible_id, toStartOfMonth(created_at, 'Europe/Moscow') AS m, stage_id", o, s.ids, s.probs)
	rows, err := f.ch.DB.Query(ctx, olap.SQL(q, args...))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fig := figures{}
	var name string
	var m time.Time
	var n uint64
	var amount, weighted decimal.Decimal
	put := func(row string) {
		fig.set("", row, "count", strconv.FormatUint(n, 10))
		fig.set("", row, "amount_sum", money(amount))
		fig.set("", row, "weighted_amount_sum", money(weighted))
	}
	for rows.Next() {
		if err := rows.Scan(&name, &m, &n, &amount, &weighted); err != nil {
			return nil, err
		}
		put(name + "|" + m.Format("2006-01-02"))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := rows.Totals(&name, &m, &n, &amount, &weighted); err != nil {
		return nil, err
	}
	put("TOTAL")
	return fig, nil
}

func (f *reportsFixture) clickhousePivot(ctx context.Context, s allStages, o chDealsOptions) (figures, error) {
	q, args := f.chDeals(chPivotSQL, "responsible_id, stage_id", o, s.ids, s.groups)
	rows, err := f.ch.DB.Query(ctx, olap.SQL(q, args...))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	p := pivotSums{}
	for rows.Next() {
		var name, grp string
		var n uint64
		var amount decimal.Decimal
		if err := rows.Scan(&name, &grp, &n, &amount); err != nil {
			return nil, err
		}
		p.add(name, grp, int64(n), amount)
	}
	return p.figures(), rows.Err()
}

// pivotSums lays pivot cells out as Voronka's pivot does: per row the
// cells "<measure>|<column value>" and the row totals "<measure>", and
// the TOTAL row of column totals and the grand total.
type pivotSums map[string]map[string]decimal.Decimal

func (p pivotSums) add(row, col string, n int64, amount decimal.Decimal) {
	for _, r := range []string{row, "TOTAL"} {
		if p[r] == nil {
			p[r] = map[string]decimal.Decimal{}
		}
		for _, c := range []string{"|" + col, ""} {
			p[r]["count"+c] = p[r]["count"+c].Add(decimal.NewFromInt(n))
			p[r]["amount_sum"+c] = p[r]["amount_sum"+c].Add(amount)
		}
	}
}

func (p pivotSums) figures() figures {
	fig := figures{}
	for r, cols := range p {
		for c, v := range cols {
			if c == "count" || c[:6] == "count|" {
				fig.set("", r, c, v.String())
			} else {
				fig.set("", r, c, money(v))
			}
		}
	}
	return fig
}
