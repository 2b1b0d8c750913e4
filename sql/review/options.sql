-- The values the desk's filters offer: sources, régions and clusters of the snapshot.
SELECT DISTINCT 'source' AS filter, source AS value FROM articles WHERE source IS NOT NULL
UNION
SELECT DISTINCT 'region', article_region FROM live_mentions WHERE article_region IS NOT NULL
UNION
SELECT DISTINCT 'cluster', name FROM live_mentions WHERE kind = 'cluster' AND name IS NOT NULL
ORDER BY filter, value;
