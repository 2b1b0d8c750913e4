-- The values the desk's filters offer, with what to show for each: sources (by name),
-- régions and clusters of the snapshot.
SELECT DISTINCT 'source' AS filter, a.source AS value, coalesce(s.name, a.source) AS label
FROM articles AS a LEFT JOIN sources AS s ON s.source = a.source
WHERE a.source IS NOT NULL
UNION
SELECT DISTINCT 'region', article_region, article_region FROM live_mentions
WHERE article_region IS NOT NULL
UNION
SELECT DISTINCT 'cluster', name, name FROM live_mentions WHERE kind = 'cluster' AND name IS NOT NULL
ORDER BY filter, label;
