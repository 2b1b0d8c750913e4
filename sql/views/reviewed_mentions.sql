-- reviewed_mentions: every mention as reviewed: rejected ones left out, corrections applied, and
-- the mentions reviewers added by hand (missed by the extractor) included.
-- Every other view reads this one. `review_status`: accepted, corrected, added or unreviewed.
-- Example: SELECT kind, review_status, count(*) FROM reviewed_mentions GROUP BY ALL;
CREATE OR REPLACE VIEW reviewed_mentions AS
WITH added AS (
    SELECT
        r.mention_id,
        r.article_id,
        a.partition_date,
        r.kind,
        json_extract_string(r.payload, '$.text') AS text,
        TRY_CAST(json_extract_string(r.payload, '$.start') AS INTEGER) AS "start",
        TRY_CAST(json_extract_string(r.payload, '$.end') AS INTEGER) AS "end",
        json_extract_string(r.payload, '$.name') AS name,
        json_extract_string(r.payload, '$.role') AS role,
        json_extract_string(r.payload, '$.org') AS org,
        TRY_CAST(json_extract_string(r.payload, '$.amount_eur') AS DOUBLE) AS amount_eur,
        json_extract_string(r.payload, '$.funder') AS funder,
        json_extract_string(r.payload, '$.recipient') AS recipient,
        json_extract_string(r.payload, '$.instrument') AS instrument,
        json_extract_string(r.payload, '$.speaker') AS speaker,
        json_extract_string(r.payload, '$.quote') AS quote,
        'review' AS rule,                -- found by a reviewer, not by an extraction rule
        a.source,
        a.duplicate_of,
        (SELECT any_value(x.article_region) FROM mentions AS x WHERE x.article_id = r.article_id)
            AS article_region
    FROM reviews AS r
    JOIN articles AS a USING (article_id)
    WHERE r.status = 'added' AND r.mention_id NOT IN (SELECT mention_id FROM mentions)
    QUALIFY row_number() OVER (PARTITION BY r.mention_id ORDER BY r.decision_id DESC) = 1
),
all_mentions AS (
    SELECT * FROM mentions
    UNION ALL BY NAME
    SELECT * FROM added
),
latest_status AS (
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
    coalesce(
        s.review_status,
        CASE WHEN c.mention_id IS NOT NULL THEN 'corrected' END,
        CASE WHEN m.mention_id IN (SELECT mention_id FROM added) THEN 'added' END,
        'unreviewed'
    ) AS review_status
FROM all_mentions AS m
LEFT JOIN latest_status AS s USING (mention_id)
LEFT JOIN corrections AS c USING (mention_id)
WHERE s.review_status IS DISTINCT FROM 'rejected';
