SELECT responsible_id AS d0, toStartOfMonth(created_at, ?) AS d1, stage_group AS d2, sum(amount_rub) AS m0, count() AS m1
FROM (SELECT *, if(rate_rate = 0, NULL, toDecimal128(toDecimal128(amount, 2) * rate_rate + toDecimal128('0.005', 3), 2)) AS amount_rub
FROM (SELECT *, arrayReduce('max', arrayFilter((x, y) -> x <= y, rate_days, arrayResize([toDate(created_at, 'Europe/Moscow')], length(rate_days), toDate(created_at, 'Europe/Moscow')))) AS rate_day
FROM (SELECT *
FROM (SELECT *
FROM (SELECT created_at, responsible_id, pipeline_id, stage_id, currency, amount
FROM voronka.deals FINAL
WHERE _deleted = 0 AND (responsible_id = ? OR id IN (SELECT deal_id
FROM voronka.deal_observers FINAL
WHERE _deleted = 0 AND user_id = ?)) AND created_at >= ? AND created_at < ? AND pipeline_id IN (SELECT pipeline_id
FROM (SELECT id AS pipeline_id, code AS pipeline_code, name AS pipeline_name
FROM voronka.pipelines FINAL
WHERE _deleted = 0)
WHERE pipeline_code = ?)) AS l0
ANY LEFT JOIN (SELECT id AS pipeline_id, code AS pipeline_code, name AS pipeline_name
FROM voronka.pipelines FINAL
WHERE _deleted = 0) AS lr0 USING (pipeline_id)) AS l1
ANY LEFT JOIN (SELECT id AS stage_id, code AS stage_code, name AS stage_name, kind AS stage_kind, stage_group AS stage_group, probability AS stage_probability, position AS stage_position
FROM voronka.stages FINAL
WHERE _deleted = 0) AS lr1 USING (stage_id)) AS l2
ANY LEFT JOIN (SELECT code AS currency, groupArray(valid_from) AS rate_days
FROM voronka.currency_rates FINAL
WHERE _deleted = 0
GROUP BY code) AS lr2 USING (currency)) AS l3
ANY LEFT JOIN (SELECT code AS currency, valid_from AS rate_day, rate AS rate_rate
FROM voronka.currency_rates FINAL
WHERE _deleted = 0) AS lr3 USING (currency, rate_day)) AS t
WHERE pipeline_code = ?
GROUP BY d0, d1, d2
ORDER BY min(pipeline_id * 1000000 + stage_position), d2, d0, d1
LIMIT 100001;
-- arg 1: "Europe/Moscow"
-- arg 2: "7"
-- arg 3: "7"
-- arg 4: "2026-01-15 21:00:00 +0000 UTC"
-- arg 5: "2026-04-15 21:00:00 +0000 UTC"
-- arg 6: "sales"
-- arg 7: "sales"

