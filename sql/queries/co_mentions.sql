-- What is named with a cluster: the officials and other clusters of the same articles.
-- param: cluster =
-- param: limit = 20
SELECT 'official' AS kind, official AS name, role, org, articles
FROM cluster_officials
WHERE cluster_id = $cluster OR cluster ILIKE $cluster
UNION ALL
SELECT 'cluster', other, NULL, NULL, articles
FROM cluster_pairs
WHERE cluster_id = $cluster OR cluster ILIKE $cluster
ORDER BY articles DESC, name
LIMIT CAST($limit AS INTEGER);
