-- Articles naming one cluster (or every cluster when empty), per week, month, quarter or year.
-- param: cluster =
-- param: period = week (week, month, quarter, year)
SELECT date_trunc($period, day)::DATE AS period, any_value(name) AS cluster,
       sum(articles)::BIGINT AS articles, count(DISTINCT source) AS sources
FROM entity_activity
WHERE kind = 'cluster'
  AND ($cluster = '' OR entity_id = $cluster OR name ILIKE $cluster)
  AND $period IN ('week', 'month', 'quarter', 'year')
GROUP BY period, entity_id
ORDER BY period, articles DESC, cluster;
