package olap

import "time"

// Amounts in reports are roubles: a deal's amount times the rate of its
// currency valid on its creation date in Moscow (the latest
// currency_rates row with valid_from <= that date), rounded half up to
// the kopeck per deal; no such rate gives 0. ClickHouse 18.16 has no ASOF
// JOIN, and it crashes on groupArray over Decimal128 and cannot capture
// outer columns in lambdas over array columns, so the rates become a
// small day-by-day table built from the mirror (one row per currency and
// day of the span asked for, the rate as text) joined on (currency,
// rate_date): a hash join whose right side is a few thousand rows.
// deal_facts keeps every deal's amount so converted (RefreshDealFacts).

// RubAmountSQL is the rouble amount of a row joined with RateDays,
// rounded half up to the kopeck (amounts are never negative).
const RubAmountSQL = "toDecimal128(toDecimal128(amount, 2) * toDecimal128(if(rate = '', '0', rate), 8) + toDecimal128('0.005', 3), 2)"

// RateDays is a subquery of (currency, rate_date, rate) for every day
// in [from, to) (dates in RateZone): what `ANY LEFT JOIN (…) USING
// currency, rate_date` needs. Bounds are bound values.
func RateDays(names Names, from, to time.Time) Fragment {
	const day = "2006-01-02"
	return Template{Text: `SELECT code AS currency, toDate(greatest(f, toDate({lo})) + k) AS rate_date, r AS rate
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
		Slots: Slots{"lo": from.Format(day), "hi": to.Format(day)}}
}
