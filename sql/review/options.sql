-- The values the desk's filters offer, with what to show for each: sources (by name),
-- régions and clusters of the snapshot, as published (the `review_options` table of
-- queue_table.sql). A mention's région is its article's, never corrected, so the régions come
-- from the `mentions` table itself (no review state to apply).
SELECT DISTINCT 'source' AS filter, a.source AS value, coalesce(s.name, a.source) AS label
FROM articles AS a LEFT JOIN sources AS s ON s.source = a.source
WHERE a.source IS NOT NULL
UNION
SELECT DISTINCT 'region', article_region, article_region FROM mentions
WHERE article_region IS NOT NULL
UNION
SELECT DISTINCT 'cluster', name, name FROM mentions_as_reviewed
WHERE kind = 'cluster' AND name IS NOT NULL
