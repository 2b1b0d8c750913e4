-- reviewed_mentions: every mention as reviewed: rejected ones left out, corrections applied.
-- Every other view reads this one. `review_status`: accepted, corrected or unreviewed.
-- Example: SELECT kind, review_status, count(*) FROM reviewed_mentions GROUP BY ALL;
CREATE OR REPLACE VIEW reviewed_mentions AS
WITH latest_status AS (
    SELECT mention_id, arg_max(status, decision_id) AS review_status
    FROM reviews
    WHERE status IN ('accepted', 'rejected')
    GROUP BY mention_id
),
corrections AS (
    SELECT
        mention_id,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'name') AS name,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'role') AS role,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'org') AS org,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'amount_eur') AS amount_eur,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'funder') AS funder,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'recipient') AS recipient,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'instrument') AS instrument,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'entity_id') AS entity_id,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'speaker') AS speaker
    FROM reviews
    WHERE status = 'corrected'
    GROUP BY mention_id
)
SELECT
    m.* REPLACE (
        coalesce(c.name, m.name) AS name,
        coalesce(c.role, m.role) AS role,
        coalesce(c.org, m.org) AS org,
        coalesce(TRY_CAST(c.amount_eur AS DOUBLE), m.amount_eur) AS amount_eur,
        coalesce(c.funder, m.funder) AS funder,
        coalesce(c.recipient, m.recipient) AS recipient,
        coalesce(c.instrument, m.instrument) AS instrument,
        coalesce(c.entity_id, m.entity_id) AS entity_id,
        coalesce(c.speaker, m.speaker) AS speaker
    ),
    m.partition_date AS day,
    coalesce(s.review_status, CASE WHEN c.mention_id IS NOT NULL THEN 'corrected' END,
             'unreviewed') AS review_status
FROM mentions AS m
LEFT JOIN latest_status AS s USING (mention_id)
LEFT JOIN corrections AS c USING (mention_id)
WHERE s.review_status IS DISTINCT FROM 'rejected';
