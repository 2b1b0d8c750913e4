-- The most mentioned clusters: articles and distinct sources that name each.
-- param: limit = 10
SELECT entity_id, any_value(name) AS cluster, any_value(cluster_kind) AS kind,
       sum(articles)::BIGINT AS articles, count(DISTINCT source) AS sources,
       sum(mentions)::BIGINT AS mentions
FROM entity_activity
WHERE kind = 'cluster'
GROUP BY entity_id
ORDER BY articles DESC, mentions DESC, cluster
LIMIT CAST($limit AS INTEGER);
