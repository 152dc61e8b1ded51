// The plan-fact and forecast reports (issue 17): Voronka over HTTP side
// by side with one hand-written ClickHouse query for the same answer.

package bench

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// BenchmarkPlans builds the reports fixture (VORONKA_BENCH_DEALS seeded
// deals, default 1,000,000, with the seed's plans for April to July
// 2025) and races the plan-fact of May 2025's won roubles and the
// forecast of June to August by manager against hand-written SQL: each
// checked once to agree cell for cell, then VORONKA_BENCH_RUNS rounds.
//
//	go test ./bench -run XXX -bench Plans -benchtime 1x -timeout 60m
func BenchmarkPlans(b *testing.B) {
	f := newReportsFixture(b)
	s := loadAllStages(b, f)
	kinds := stageKinds(b, f)
	b.Run("plan_fact", func(b *testing.B) {
		f.racePair(b, "plan_fact",
			func() (figures, error) {
				return f.voronkaMoney(`{"kind":"plan_fact","params":{"metric":"won_amount","month":"2025-05"}}`, 1, "plan", "fact", "forecast")
			},
			func() (figures, error) { return f.clickhousePlanFact(context.Background(), s, kinds) })
	})
	b.Run("forecast", func(b *testing.B) {
		f.racePair(b, "forecast",
			func() (figures, error) {
				return f.voronkaMoney(`{"kind":"forecast","params":{"from":"2025-06","months":3}}`, 2, "won", "best_case", "weighted", "plan",
					"cat_commit", "cat_best_case", "cat_pipeline")
			},
			func() (figures, error) { return f.clickhouseForecast(context.Background(), s, kinds) })
	})
	b.Run("forecast_accuracy", func(b *testing.B) {
		f.racePair(b, "forecast_accuracy",
			func() (figures, error) {
				return f.voronkaMoney(`{"kind":"forecast_accuracy","params":{"from":"2025-03","months":3}}`, 2,
					"forecast_best_case", "forecast_weighted", "won")
			},
			func() (figures, error) { return f.clickhouseAccuracy(context.Background(), s, kinds) })
	})
}

// clickhouseAccuracy is March to May's forecast accuracy by month and
// responsible in one query: per month (arrayJoin over its first instant,
// first day and the next month's), each deal's stage and expected date
// as of just before the month from deal_facts' arrays; the open deals
// then expected in the month (roubles, weighted by that stage) and the
// deals now won that closed in it.
func (f *reportsFixture) clickhouseAccuracy(ctx context.Context, s allStages, kinds []string) (figures, error) {
	type month struct {
		start     int64
		day, next string
	}
	months := []month{
		{time.Date(2025, 2, 28, 21, 0, 0, 0, time.UTC).Unix(), "2025-03-01", "2025-04-01"},
		{time.Date(2025, 3, 31, 21, 0, 0, 0, time.UTC).Unix(), "2025-04-01", "2025-05-01"},
		{time.Date(2025, 4, 30, 21, 0, 0, 0, time.UTC).Unix(), "2025-05-01", "2025-06-01"}}
	starts, days, nexts := make([]int64, 3), make([]string, 3), make([]string, 3)
	for i, m := range months {
		starts[i], days[i], nexts[i] = m.start, m.day, m.next
	}
	q := fmt.Sprintf(`SELECT day, who, sumIf(rub, named), sumIf(w, named), sumIf(rub, won)
FROM (
  SELECT toString(responsible_id) AS who, rub, day,
         arrayFirst(x -> 1, arrayReverse(arrayFilter((st, t) -> t < toDateTime(t0, 'UTC'), stages, times))) AS st0,
         arrayFirst(x -> 1, arrayReverse(arrayFilter((d, t) -> t < toDateTime(t0, 'UTC'), fc_dates, fc_times))) AS e0,
         notEmpty(arrayFilter(t -> t < toDateTime(t0, 'UTC'), fc_times)) AND transform(st0, ?, ?, '') = 'open'
           AND ifNull(e0 >= toDate(day) AND e0 < toDate(nxt), 0) AS named,
         toDecimal128(toDecimal128(rub, 4) * transform(st0, ?, ?, 0) / 100 + toDecimal128('0.005', 3), 2) AS w,
         transform(stage_id, ?, ?, '') = 'won' AND ifNull(toInt64(closed_at) >= t0 AND toInt64(closed_at) < t1, 0) AS won
  FROM %[1]s.deal_facts FINAL
  ARRAY JOIN ? AS t0, ? AS day, ? AS nxt, arrayPushBack(arrayPopFront(?), ?) AS t1
  WHERE _deleted = 0 AND created_at < toDateTime(?, 'UTC') AND ifNull(closed_at >= toDateTime(?, 'UTC'), 1)
)
WHERE named OR won
GROUP BY day, who`, f.ch.Database)
	end := time.Date(2025, 5, 31, 21, 0, 0, 0, time.UTC).Unix()
	rows, err := f.ch.DB.Query(ctx, olap.SQL(q, s.ids, kinds, s.ids, s.probs, s.ids, kinds, starts, days, nexts, starts, end, end, starts[0]))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fig := figures{}
	for rows.Next() {
		var day, who string
		var best, weighted, won decimal.Decimal
		if err := rows.Scan(&day, &who, &best, &weighted, &won); err != nil {
			return nil, err
		}
		row := day + "|" + who
		for col, v := range map[string]decimal.Decimal{"forecast_best_case": best, "forecast_weighted": weighted, "won": won} {
			fig.addMoney("", row, col, v)
			fig.addMoney("", "TOTAL", col, v)
		}
	}
	return fig, rows.Err()
}

// racePair checks once that Voronka and the hand-written SQL agree, then
// times them in VORONKA_BENCH_RUNS rounds (default 7).
func (f *reportsFixture) racePair(b *testing.B, what string, voronka, clickhouse func() (figures, error)) {
	v, err := voronka()
	if err != nil {
		b.Fatal(err)
	}
	c, err := clickhouse()
	if err != nil {
		b.Fatal(err)
	}
	agreeNamed(b, what, answer{"voronka", v}, answer{"clickhouse", c})
	runs := envInt("VORONKA_BENCH_RUNS", 7)
	compete(b,
		contestant{"clickhouse_sql", runs, func() error { _, err := clickhouse(); return err }},
		contestant{"voronka_http", runs, func() error { _, err := voronka(); return err }})
}

// voronkaMoney is voronkaReport keeping only the money columns named
// (the rows keyed by their first dims cells).
func (f *reportsFixture) voronkaMoney(def string, dims int, cols ...string) (figures, error) {
	fig, err := f.voronkaReport(def, dims)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	for _, c := range cols {
		keep[c] = true
	}
	for _, row := range fig[""] {
		for c := range row {
			if !keep[c] {
				delete(row, c)
			}
		}
	}
	return fig, nil
}

// stageKinds are every stage's kind, parallel to allStages.ids (read once,
// untimed).
func stageKinds(b *testing.B, f *reportsFixture) []string {
	rows, err := f.ch.DB.Query(context.Background(), olap.SQL("SELECT kind FROM "+f.ch.Database+".stages FINAL WHERE _deleted = 0 ORDER BY id"))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			b.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

// May 2025 in Moscow as UTC instants.
var (
	mayFrom = time.Date(2025, 4, 30, 21, 0, 0, 0, time.UTC)
	mayTo   = time.Date(2025, 5, 31, 21, 0, 0, 0, time.UTC)
)

// clickhousePlanFact is May's plan-fact in one query: the won deals'
// roubles and the plans for all pipelines, by responsible (the month is
// over: the forecast is the fact).
func (f *reportsFixture) clickhousePlanFact(ctx context.Context, s allStages, kinds []string) (figures, error) {
	q := fmt.Sprintf(`SELECT who, sumIf(v, p = 1), countIf(p = 1), sumIf(v, p = 0)
FROM (
  SELECT responsible_id AS who, toDecimal128(rub, 2) AS v, 0 AS p FROM %[1]s.deal_facts FINAL
  WHERE _deleted = 0 AND transform(stage_id, ?, ?, '') = 'won'
    AND closed_at >= toDateTime(?, 'UTC') AND closed_at < toDateTime(?, 'UTC')
  UNION ALL
  SELECT responsible_id, toDecimal128(value, 2), 1 FROM %[1]s.plans FINAL
  WHERE _deleted = 0 AND metric = 'won_amount' AND month = toDate('2025-05-01') AND isNull(pipeline_id)
)
GROUP BY who`, f.ch.Database)
	rows, err := f.ch.DB.Query(ctx, olap.SQL(q, s.ids, kinds, mayFrom.Unix(), mayTo.Unix()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fig := figures{}
	var teamPlan, teamFact decimal.Decimal
	planned := false
	for rows.Next() {
		var who int64
		var plan, fact decimal.Decimal
		var plans uint64
		if err := rows.Scan(&who, &plan, &plans, &fact); err != nil {
			return nil, err
		}
		row := strconv.FormatInt(who, 10)
		if plans > 0 {
			fig.set("", row, "plan", money(plan))
			teamPlan, planned = teamPlan.Add(plan), true
		}
		fig.set("", row, "fact", money(fact))
		fig.set("", row, "forecast", money(fact))
		teamFact = teamFact.Add(fact)
	}
	if planned {
		fig.set("", "TOTAL", "plan", money(teamPlan))
	}
	fig.set("", "TOTAL", "fact", money(teamFact))
	fig.set("", "TOTAL", "forecast", money(teamFact))
	return fig, rows.Err()
}

// clickhouseForecast is June to August by month and responsible in one
// query: won roubles by the month of closing, the open deals' roubles,
// weighted roubles and roubles by forecast category (the deal's, else by
// its stage's probability: 60 % and 30 %) by the month of their expected
// close, and the won_amount plans.
func (f *reportsFixture) clickhouseForecast(ctx context.Context, s allStages, kinds []string) (figures, error) {
	starts := []int64{time.Date(2025, 5, 31, 21, 0, 0, 0, time.UTC).Unix(), time.Date(2025, 6, 30, 21, 0, 0, 0, time.UTC).Unix(),
		time.Date(2025, 7, 31, 21, 0, 0, 0, time.UTC).Unix()}
	end := time.Date(2025, 8, 31, 21, 0, 0, 0, time.UTC).Unix()
	days := []string{"2025-06-01", "2025-07-01", "2025-08-01"}
	q := fmt.Sprintf(`SELECT month, who, sumIf(v, what = 'won'), sumIf(v, what = 'open'), sumIf(w, what = 'open'), sumIf(v, what = 'plan'), countIf(what = 'plan'),
       sumIf(v, what = 'open' AND c = 'commit'), sumIf(v, what = 'open' AND c = 'best_case'), sumIf(v, what = 'open' AND c = 'pipeline')
FROM (
  SELECT toString(responsible_id) AS who, toDecimal128(rub, 2) AS v, kind AS what,
         toDecimal128(toDecimal128(rub, 4) * transform(stage_id, ?, ?, 0) / 100 + toDecimal128('0.005', 3), 2) AS w,
         ifNull(forecast_category, multiIf(transform(stage_id, ?, ?, 0) >= 60, 'commit', transform(stage_id, ?, ?, 0) >= 30, 'best_case', 'pipeline')) AS c,
         arrayElement(?, if(kind = 'won', arrayCount(x -> x <= toInt64(assumeNotNull(closed_at)), ?), arrayCount(d -> d <= toString(assumeNotNull(expected_close_at)), ?))) AS month
  FROM (SELECT *, transform(stage_id, ?, ?, '') AS kind FROM %[1]s.deal_facts FINAL WHERE _deleted = 0)
  WHERE kind = 'won' AND ifNull(closed_at >= toDateTime(?, 'UTC') AND closed_at < toDateTime(?, 'UTC'), 0)
     OR kind = 'open' AND ifNull(expected_close_at >= toDate('2025-06-01') AND expected_close_at < toDate('2025-09-01'), 0)
  UNION ALL
  SELECT toString(responsible_id), toDecimal128(value, 2), 'plan', toDecimal128(0, 2), '', toString(month) FROM %[1]s.plans FINAL
  WHERE _deleted = 0 AND metric = 'won_amount' AND has(?, toString(month)) AND isNull(pipeline_id)
)
GROUP BY month, who`, f.ch.Database)
	rows, err := f.ch.DB.Query(ctx, olap.SQL(q, s.ids, s.probs, s.ids, s.probs, s.ids, s.probs, days, starts, days, s.ids, kinds, starts[0], end, days))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	fig := figures{}
	for rows.Next() {
		var month, who string
		var won, best, weighted, plan, commit, likely, rest decimal.Decimal
		var plans uint64
		if err := rows.Scan(&month, &who, &won, &best, &weighted, &plan, &plans, &commit, &likely, &rest); err != nil {
			return nil, err
		}
		row := month + "|" + who
		for col, v := range map[string]decimal.Decimal{"won": won, "best_case": best, "weighted": weighted,
			"cat_commit": commit, "cat_best_case": likely, "cat_pipeline": rest} {
			fig.addMoney("", row, col, v)
			fig.addMoney("", "TOTAL", col, v)
		}
		if plans > 0 {
			fig.addMoney("", row, "plan", plan)
			fig.addMoney("", "TOTAL", "plan", plan)
		}
	}
	return fig, rows.Err()
}
