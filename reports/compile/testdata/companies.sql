SELECT toStartOfYear(created_at, ?) AS d0, count() AS m0
FROM (SELECT created_at
FROM voronka.companies FINAL
WHERE _deleted = 0 AND 1 = 1) AS t
GROUP BY d0 WITH TOTALS
ORDER BY d0
LIMIT 1001;
-- arg 1: "Europe/Moscow"

