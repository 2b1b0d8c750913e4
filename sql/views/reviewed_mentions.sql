-- reviewed_mentions: every mention as reviewed: rejected ones left out, corrections applied, and
-- the mentions reviewers added by hand (missed by the extractor) included.
-- Every other view reads this one. `review_status`: accepted, corrected, added or unreviewed.
-- Example: SELECT kind, review_status, count(*) FROM reviewed_mentions GROUP BY ALL;
CREATE OR REPLACE VIEW reviewed_mentions AS
SELECT
    m.* REPLACE (
        coalesce(r.name, m.name) AS name,
        coalesce(r.role, m.role) AS role,
        coalesce(r.org, m.org) AS org,
        coalesce(TRY_CAST(r.amount_eur AS DOUBLE), m.amount_eur) AS amount_eur,
        coalesce(r.funder, m.funder) AS funder,
        coalesce(r.recipient, m.recipient) AS recipient,
        coalesce(r.instrument, m.instrument) AS instrument,
        coalesce(r.entity_id, m.entity_id) AS entity_id,
        coalesce(r.speaker, m.speaker) AS speaker
    ),
    m.partition_date AS day,
    coalesce(r.status, 'unreviewed') AS review_status
FROM mentions AS m
LEFT JOIN review_state AS r USING (mention_id)
WHERE r.status IS DISTINCT FROM 'rejected'
UNION ALL BY NAME
SELECT
    a.*,
    a.partition_date AS day,
    'added' AS review_status
FROM added_mentions AS a;
