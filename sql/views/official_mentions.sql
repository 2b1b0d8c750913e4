-- official_mentions: one row per (reviewed) official mention: person, role, organisation.
-- Example: SELECT name, role, org, count(*) FROM official_mentions GROUP BY ALL ORDER BY 4 DESC;
CREATE OR REPLACE VIEW official_mentions AS
SELECT
    mention_id,
    entity_id AS person_id,
    name,
    role,
    role_category,
    org,
    org_id,
    article_id,
    source,
    day,
    article_region AS region,
    sentence,
    confidence,
    review_status
FROM reviewed_mentions
WHERE kind = 'official';
