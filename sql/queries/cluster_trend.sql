-- Articles naming one cluster (or every cluster when empty), per week or month.
-- param: cluster =
-- param: period = week (week, month, quarter, year)
SELECT date_trunc($period, day)::DATE AS period, any_value(cluster) AS cluster,
       count(DISTINCT article_id) AS articles, count(DISTINCT source) AS sources
FROM cluster_mentions
WHERE ($cluster = '' OR entity_id = $cluster OR cluster ILIKE $cluster)
  AND $period IN ('week', 'month', 'quarter', 'year')
GROUP BY period, entity_id
ORDER BY period, articles DESC, cluster;
