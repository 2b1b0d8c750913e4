-- Weekly articles mentioning one cluster (or all clusters when cluster is empty).
-- param: cluster =
SELECT date_trunc('week', day) AS week, cluster, count(DISTINCT article_id) AS articles
FROM cluster_mentions
WHERE $cluster = '' OR cluster = $cluster
GROUP BY ALL
ORDER BY week, articles DESC, cluster;
