SELECT toStartOfMonth(paid_at, ?) AS d0, sum(amount_rub) AS m0
FROM (SELECT *, if(rate_rate = 0, NULL, toDecimal128(toDecimal128(amount, 2) * rate_rate + toDecimal128('0.005', 3), 2)) AS amount_rub
FROM (SELECT *, arrayReduce('max', arrayFilter((x, y) -> x <= y, rate_days, arrayResize([toDate(coalesce(paid_at, planned_at, created_at), 'Europe/Moscow')], length(rate_days), toDate(coalesce(paid_at, planned_at, created_at), 'Europe/Moscow')))) AS rate_day
FROM (SELECT *
FROM (SELECT paid_at, status, invoice_id, planned_at, created_at, amount
FROM voronka.payments FINAL
WHERE _deleted = 0 AND invoice_id IN (SELECT id
FROM voronka.invoices FINAL
WHERE _deleted = 0 AND (deal_id IN (SELECT id
FROM voronka.deals FINAL
WHERE _deleted = 0 AND ((responsible_id = ? OR id IN (SELECT deal_id
FROM voronka.deal_observers FINAL
WHERE _deleted = 0 AND user_id = ?)))))) AND status = ?) AS l0
ANY LEFT JOIN (SELECT id AS invoice_id, deal_id, number AS invoice_number, currency
FROM voronka.invoices FINAL
WHERE _deleted = 0) AS lr0 USING (invoice_id)) AS l1
ANY LEFT JOIN (SELECT code AS currency, groupArray(valid_from) AS rate_days
FROM voronka.currency_rates FINAL
WHERE _deleted = 0
GROUP BY code) AS lr1 USING (currency)) AS l2
ANY LEFT JOIN (SELECT code AS currency, valid_from AS rate_day, rate AS rate_rate
FROM voronka.currency_rates FINAL
WHERE _deleted = 0) AS lr2 USING (currency, rate_day)) AS t
GROUP BY d0 WITH TOTALS
ORDER BY d0
LIMIT 1001;
-- arg 1: "Europe/Moscow"
-- arg 2: "7"
-- arg 3: "7"
-- arg 4: "paid"

