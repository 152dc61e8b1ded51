SELECT source_name AS d0, avg(toUInt8(deal_id IS NOT NULL)) AS m0
FROM (SELECT *
FROM (SELECT deal_id, source
FROM voronka.leads FINAL
WHERE _deleted = 0 AND responsible_id = ?) AS l0
ANY LEFT JOIN (SELECT code AS source, name AS source_name
FROM voronka.sources FINAL
WHERE _deleted = 0) AS lr0 USING (source)) AS t
GROUP BY d0 WITH TOTALS
ORDER BY d0
LIMIT 1001;
-- arg 1: "7"

