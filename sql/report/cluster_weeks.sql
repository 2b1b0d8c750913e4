-- Articles per week naming each of the $limit clusters named in most articles between $from and
-- $to. Same weeks as the view cluster_weekly, but counted from the period's days only, so a
-- period that starts mid-week does not count the days before it.
WITH in_period AS (
    SELECT date_trunc('week', day)::DATE AS week, entity_id, cluster, article_id
    FROM cluster_mentions
    WHERE day BETWEEN $from AND $to AND entity_id IS NOT NULL
),
top_clusters AS (
    SELECT entity_id, mode(cluster) AS cluster, count(DISTINCT article_id) AS total
    FROM in_period
    GROUP BY entity_id
    ORDER BY total DESC, cluster, entity_id
    LIMIT $limit
)
SELECT t.entity_id, t.cluster, t.total, p.week, count(DISTINCT p.article_id) AS articles
FROM top_clusters AS t
JOIN in_period AS p USING (entity_id)
GROUP BY t.entity_id, t.cluster, t.total, p.week
ORDER BY t.total DESC, t.cluster, t.entity_id, p.week;
