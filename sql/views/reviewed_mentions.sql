-- mentions_as_reviewed / reviewed_mentions: every mention as reviewed, corrections applied, and
-- the mentions reviewers added by hand (missed by the extractor) included; `reviewed_mentions`
-- leaves out the rejected ones and every other view reads it. The review desk reads
-- `mentions_as_reviewed` with its live decisions in temporary `review_state` and
-- `added_mentions` views (sql/review/live_state.sql), which take the place of the published ones.
-- `review_status`: accepted, corrected, added, rejected or unreviewed.
-- Example: SELECT kind, review_status, count(*) FROM reviewed_mentions GROUP BY ALL;

-- mentions_as_reviewed: every mention as reviewed, rejected ones included, corrections
-- applied, with the mentions reviewers added by hand; `review_status` says which. An
-- official's `role` is as the article wrote it (gender kept), `role_normalised` its masculine
-- singular form, `role_category` its category.
CREATE OR REPLACE VIEW mentions_as_reviewed AS
SELECT
    m.* REPLACE (
        coalesce(r.name, m.name) AS name,
        coalesce(r.role, m.role_written, m.role) AS role,
        coalesce(r.org, m.org) AS org,
        coalesce(TRY_CAST(r.amount_eur AS DOUBLE), m.amount_eur) AS amount_eur,
        coalesce(r.funder, m.funder) AS funder,
        coalesce(r.recipient, m.recipient) AS recipient,
        coalesce(r.instrument, m.instrument) AS instrument,
        coalesce(r.entity_id, m.entity_id) AS entity_id,
        coalesce(r.speaker, m.speaker) AS speaker,
        coalesce(m.role_normalised, m.role) AS role_normalised
    ),
    m.partition_date AS day,
    coalesce(r.status, 'unreviewed') AS review_status
FROM mentions AS m
LEFT JOIN review_state AS r
    ON r.mention_id = m.mention_id AND r.partition_date = m.partition_date  -- the day: pruning
UNION ALL BY NAME
SELECT
    a.*,
    a.partition_date AS day,
    'added' AS review_status
FROM added_mentions AS a;

-- reviewed_mentions: the mentions as reviewed, without the rejected ones: what every other
-- view reads.
CREATE OR REPLACE VIEW reviewed_mentions AS
SELECT * FROM mentions_as_reviewed WHERE review_status <> 'rejected';
