-- official_quotes: quotes whose speaker is an official of the same article, with role and org.
-- Example: SELECT speaker, role, quote FROM official_quotes WHERE org LIKE 'Région%';
CREATE OR REPLACE TABLE official_quotes AS
SELECT
    q.mention_id,
    q.speaker_id AS person_id,
    q.speaker,
    o.role,
    o.org,
    q.quote,
    q.article_id,
    q.source,
    q.day,
    q.article_region AS region
FROM reviewed_mentions AS q
JOIN (
    SELECT article_id, entity_id, any_value(role) AS role, any_value(org) AS org
    FROM reviewed_mentions
    WHERE kind = 'official'
    GROUP BY ALL
) AS o ON o.article_id = q.article_id AND o.entity_id = q.speaker_id
WHERE q.kind = 'quote';
