SELECT responsible_name AS d0, stage_group AS d1, sum(toDecimal128(toDecimal128(amount_rub, 4) * stage_probability / 100 + toDecimal128('0.005', 3), 2)) AS m0, if(count(amount_rub) = 0, NULL, (arrayElement(arraySort(groupArray(toInt64(toDecimal128(amount_rub, 2) * 100))), intDiv(count(amount_rub) + 1, 2)) + arrayElement(arraySort(groupArray(toInt64(toDecimal128(amount_rub, 2) * 100))), intDiv(count(amount_rub), 2) + 1)) / 2) AS m1
FROM (SELECT *, if(rate_rate = 0, NULL, toDecimal128(toDecimal128(amount, 2) * rate_rate + toDecimal128('0.005', 3), 2)) AS amount_rub
FROM (SELECT *, arrayReduce('max', arrayFilter((x, y) -> x <= y, rate_days, arrayResize([toDate(created_at, 'Europe/Moscow')], length(rate_days), toDate(created_at, 'Europe/Moscow')))) AS rate_day
FROM (SELECT *
FROM (SELECT *
FROM (SELECT pipeline_id, stage_id, responsible_id, currency, created_at, amount
FROM voronka.deals FINAL
WHERE _deleted = 0 AND 1 = 1) AS l0
ANY LEFT JOIN (SELECT id AS stage_id, code AS stage_code, name AS stage_name, kind AS stage_kind, stage_group AS stage_group, probability AS stage_probability, position AS stage_position
FROM voronka.stages FINAL
WHERE _deleted = 0) AS lr0 USING (stage_id)) AS l1
ANY LEFT JOIN (SELECT id AS responsible_id, name AS responsible_name
FROM voronka.users FINAL
WHERE _deleted = 0) AS lr1 USING (responsible_id)) AS l2
ANY LEFT JOIN (SELECT code AS currency, groupArray(valid_from) AS rate_days
FROM voronka.currency_rates FINAL
WHERE _deleted = 0
GROUP BY code) AS lr2 USING (currency)) AS l3
ANY LEFT JOIN (SELECT code AS currency, valid_from AS rate_day, rate AS rate_rate
FROM voronka.currency_rates FINAL
WHERE _deleted = 0) AS lr3 USING (currency, rate_day)) AS t
GROUP BY d0, d1
ORDER BY d0, d1
LIMIT 100001;

SELECT responsible_name AS d0, sum(toDecimal128(toDecimal128(amount_rub, 4) * stage_probability / 100 + toDecimal128('0.005', 3), 2)) AS m0, if(count(amount_rub) = 0, NULL, (arrayElement(arraySort(groupArray(toInt64(toDecimal128(amount_rub, 2) * 100))), intDiv(count(amount_rub) + 1, 2)) + arrayElement(arraySort(groupArray(toInt64(toDecimal128(amount_rub, 2) * 100))), intDiv(count(amount_rub), 2) + 1)) / 2) AS m1
FROM (SELECT *, if(rate_rate = 0, NULL, toDecimal128(toDecimal128(amount, 2) * rate_rate + toDecimal128('0.005', 3), 2)) AS amount_rub
FROM (SELECT *, arrayReduce('max', arrayFilter((x, y) -> x <= y, rate_days, arrayResize([toDate(created_at, 'Europe/Moscow')], length(rate_days), toDate(created_at, 'Europe/Moscow')))) AS rate_day
FROM (SELECT *
FROM (SELECT *
FROM (SELECT pipeline_id, stage_id, responsible_id, currency, created_at, amount
FROM voronka.deals FINAL
WHERE _deleted = 0 AND 1 = 1) AS l0
ANY LEFT JOIN (SELECT id AS stage_id, code AS stage_code, name AS stage_name, kind AS stage_kind, stage_group AS stage_group, probability AS stage_probability, position AS stage_position
FROM voronka.stages FINAL
WHERE _deleted = 0) AS lr0 USING (stage_id)) AS l1
ANY LEFT JOIN (SELECT id AS responsible_id, name AS responsible_name
FROM voronka.users FINAL
WHERE _deleted = 0) AS lr1 USING (responsible_id)) AS l2
ANY LEFT JOIN (SELECT code AS currency, groupArray(valid_from) AS rate_days
FROM voronka.currency_rates FINAL
WHERE _deleted = 0
GROUP BY code) AS lr2 USING (currency)) AS l3
ANY LEFT JOIN (SELECT code AS currency, valid_from AS rate_day, rate AS rate_rate
FROM voronka.currency_rates FINAL
WHERE _deleted = 0) AS lr3 USING (currency, rate_day)) AS t
GROUP BY d0 WITH TOTALS
ORDER BY d0
LIMIT 1001;

SELECT stage_group AS d1, sum(toDecimal128(toDecimal128(amount_rub, 4) * stage_probability / 100 + toDecimal128('0.005', 3), 2)) AS m0, if(count(amount_rub) = 0, NULL, (arrayElement(arraySort(groupArray(toInt64(toDecimal128(amount_rub, 2) * 100))), intDiv(count(amount_rub) + 1, 2)) + arrayElement(arraySort(groupArray(toInt64(toDecimal128(amount_rub, 2) * 100))), intDiv(count(amount_rub), 2) + 1)) / 2) AS m1
FROM (SELECT *, if(rate_rate = 0, NULL, toDecimal128(toDecimal128(amount, 2) * rate_rate + toDecimal128('0.005', 3), 2)) AS amount_rub
FROM (SELECT *, arrayReduce('max', arrayFilter((x, y) -> x <= y, rate_days, arrayResize([toDate(created_at, 'Europe/Moscow')], length(rate_days), toDate(created_at, 'Europe/Moscow')))) AS rate_day
FROM (SELECT *
FROM (SELECT *
FROM (SELECT pipeline_id, stage_id, responsible_id, currency, created_at, amount
FROM voronka.deals FINAL
WHERE _deleted = 0 AND 1 = 1) AS l0
ANY LEFT JOIN (SELECT id AS stage_id, code AS stage_code, name AS stage_name, kind AS stage_kind, stage_group AS stage_group, probability AS stage_probability, position AS stage_position
FROM voronka.stages FINAL
WHERE _deleted = 0) AS lr0 USING (stage_id)) AS l1
ANY LEFT JOIN (SELECT id AS responsible_id, name AS responsible_name
FROM voronka.users FINAL
WHERE _deleted = 0) AS lr1 USING (responsible_id)) AS l2
ANY LEFT JOIN (SELECT code AS currency, groupArray(valid_from) AS rate_days
FROM voronka.currency_rates FINAL
WHERE _deleted = 0
GROUP BY code) AS lr2 USING (currency)) AS l3
ANY LEFT JOIN (SELECT code AS currency, valid_from AS rate_day, rate AS rate_rate
FROM voronka.currency_rates FINAL
WHERE _deleted = 0) AS lr3 USING (currency, rate_day)) AS t
GROUP BY d1
ORDER BY min(pipeline_id * 1000000 + stage_position), d1
LIMIT 201;

