-- Digest: the clusters the period's articles mention most (as reviewed: rejected mentions left
-- out, merges into a canonical entity applied).
SELECT coalesce(e.name, m.name, m.text) AS cluster,
       count(DISTINCT m.article_id) AS articles,
       count(*) AS mentions,
       string_agg(DISTINCT coalesce(s.name, a.source), ', ') AS sources
FROM live_mentions AS m
JOIN articles AS a USING (article_id)
LEFT JOIN sources AS s ON s.source = a.source
LEFT JOIN entities AS e ON e.entity_id = m.entity_id
WHERE m.kind = 'cluster'
  AND m.review_status <> 'rejected'
  AND list_contains($statuses, m.review_status)
  AND m.day BETWEEN $date_from AND $date_to
GROUP BY ALL
ORDER BY articles DESC, mentions DESC, cluster
LIMIT 10;
