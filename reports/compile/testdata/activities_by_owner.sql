SELECT owner_name AS d0, type AS d1, count() AS m0, if(count(duration_s) = 0, NULL, (arrayElement(arraySort(groupArray(toInt64(duration_s))), intDiv(count(duration_s) + 1, 2)) + arrayElement(arraySort(groupArray(toInt64(duration_s))), intDiv(count(duration_s), 2) + 1)) / 2) AS m1
FROM (SELECT *
FROM (SELECT type, duration_s, owner_id
FROM voronka.activities FINAL
WHERE _deleted = 0 AND (owner_id = ? OR deal_id IN (SELECT id
FROM voronka.deals FINAL
WHERE _deleted = 0 AND ((responsible_id = ? OR id IN (SELECT deal_id
FROM voronka.deal_observers FINAL
WHERE _deleted = 0 AND user_id = ?)))) OR lead_id IN (SELECT id
FROM voronka.leads FINAL
WHERE _deleted = 0 AND (responsible_id = ?)))) AS l0
ANY LEFT JOIN (SELECT id AS owner_id, name AS owner_name
FROM voronka.users FINAL
WHERE _deleted = 0) AS lr0 USING (owner_id)) AS t
GROUP BY d0, d1 WITH TOTALS
ORDER BY d0, d1
LIMIT 1001;
-- arg 1: "7"
-- arg 2: "7"
-- arg 3: "7"
-- arg 4: "7"

