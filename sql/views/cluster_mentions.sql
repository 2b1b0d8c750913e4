-- cluster_mentions: one row per cluster mention with its article's source and day.
-- Example: SELECT cluster, count(DISTINCT article_id) FROM cluster_mentions GROUP BY ALL;
CREATE OR REPLACE VIEW cluster_mentions AS
SELECT
    m.mention_id,
    m.name AS cluster,
    m.cluster_kind,
    m.known,
    m.article_id,
    a.source,
    a.partition_date AS day,
    a.title,
    m.sentence,
    m.confidence
FROM mentions AS m
JOIN articles AS a USING (article_id)
WHERE m.kind = 'cluster';
