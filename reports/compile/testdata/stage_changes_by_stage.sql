SELECT to_stage_name AS d0, toMonday(changed_at, ?) AS d1, ifNull(uniqExact(deal_id), 0) AS m0
FROM (SELECT *
FROM (SELECT changed_at, deal_id, to_stage_id
FROM voronka.stage_changes FINAL
WHERE _deleted = 0 AND deal_id IN (SELECT id
FROM voronka.deals FINAL
WHERE _deleted = 0 AND ((responsible_id = ? OR id IN (SELECT deal_id
FROM voronka.deal_observers FINAL
WHERE _deleted = 0 AND user_id = ?))))) AS l0
ANY LEFT JOIN (SELECT id AS to_stage_id, code AS to_stage_code, name AS to_stage_name, kind AS to_stage_kind, stage_group AS to_stage_group, probability AS to_stage_probability, position AS to_stage_position
FROM voronka.stages FINAL
WHERE _deleted = 0) AS lr0 USING (to_stage_id)) AS t
GROUP BY d0, d1 WITH TOTALS
ORDER BY d0, d1
LIMIT 1001;
-- arg 1: "Europe/Moscow"
-- arg 2: "7"
-- arg 3: "7"

