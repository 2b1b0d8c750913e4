-- official_mentions: one row per official mention (person, role, organisation) with its article.
-- Example: SELECT name, role, org, count(*) FROM official_mentions GROUP BY ALL ORDER BY 4 DESC;
CREATE OR REPLACE VIEW official_mentions AS
SELECT
    m.mention_id,
    m.name,
    m.role,
    m.role_category,
    m.org,
    m.article_id,
    a.source,
    a.partition_date AS day,
    m.sentence,
    m.confidence
FROM mentions AS m
JOIN articles AS a USING (article_id)
WHERE m.kind = 'official';
