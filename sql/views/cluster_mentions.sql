-- cluster_mentions: one row per (reviewed) cluster mention, with its article's source and day.
-- Example: SELECT cluster, count(DISTINCT article_id) FROM cluster_mentions GROUP BY ALL;
CREATE OR REPLACE VIEW cluster_mentions AS
SELECT
    mention_id,
    entity_id,
    name AS cluster,
    cluster_kind,
    known,
    article_id,
    source,
    day,
    article_region AS region,
    sentence,
    confidence,
    review_status
FROM reviewed_mentions
WHERE kind = 'cluster';
