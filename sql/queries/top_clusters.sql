-- The most mentioned clusters: articles and distinct sources that name each.
-- param: limit = 10
SELECT entity_id, any_value(cluster) AS cluster, any_value(cluster_kind) AS kind,
       count(DISTINCT article_id) AS articles, count(DISTINCT source) AS sources,
       count(*) AS mentions
FROM cluster_mentions
GROUP BY entity_id
ORDER BY articles DESC, mentions DESC, cluster
LIMIT CAST($limit AS INTEGER);
