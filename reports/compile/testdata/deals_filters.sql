SELECT if(count(amount_rub) = 0, NULL, sum(toDecimal128(amount_rub, 6)) / greatest(count(amount_rub), 1)) AS m0, ifNull(uniqExact(id), 0) AS m1
FROM (SELECT *, if(rate_rate = 0, NULL, toDecimal128(toDecimal128(amount, 2) * rate_rate + toDecimal128('0.005', 3), 2)) AS amount_rub
FROM (SELECT *, arrayReduce('max', arrayFilter((x, y) -> x <= y, rate_days, arrayResize([toDate(created_at, 'Europe/Moscow')], length(rate_days), toDate(created_at, 'Europe/Moscow')))) AS rate_day
FROM (SELECT created_at, id, title, closed_at, source, currency, amount
FROM voronka.deals FINAL
WHERE _deleted = 0 AND 1 = 1 AND positionCaseInsensitiveUTF8(title, ?) > 0 AND isNotNull(id) AND id NOT IN (?, ?) AND closed_at >= ? AND closed_at < ? AND isNotNull(source) AND created_at >= ? AND created_at < ?) AS l0
ANY LEFT JOIN (SELECT code AS currency, groupArray(valid_from) AS rate_days
FROM voronka.currency_rates FINAL
WHERE _deleted = 0
GROUP BY code) AS lr0 USING (currency)) AS l1
ANY LEFT JOIN (SELECT code AS currency, valid_from AS rate_day, rate AS rate_rate
FROM voronka.currency_rates FINAL
WHERE _deleted = 0) AS lr1 USING (currency, rate_day)) AS t
WHERE amount_rub >= toDecimal128(?, 2) AND amount_rub <= toDecimal128(?, 2)
LIMIT 1001;
-- arg 1: "'; DROP TABLE deals; --"
-- arg 2: "1"
-- arg 3: "2"
-- arg 4: "2025-12-31 14:00:00 +0000 UTC"
-- arg 5: "2026-01-31 14:00:00 +0000 UTC"
-- arg 6: "2025-12-31 14:00:00 +0000 UTC"
-- arg 7: "2026-12-31 14:00:00 +0000 UTC"
-- arg 8: "10.00"
-- arg 9: "99.50"

