-- live_mentions (temporary, per connection of the review desk): every mention of the snapshot
-- and every mention added by a reviewer, with the review store's decisions as they are now, so a
-- decision shows at once, before any publish. `review_state` and `added_mentions` here are the
-- temporary tables `pipeline.review_queue.open_live` builds with sql/review_state.sql from the
-- live decisions. Same rules as sql/views/reviewed_mentions.sql, except that rejected mentions
-- are kept (`review_status` 'rejected') for the desk to show and filter.
CREATE OR REPLACE TEMP VIEW live_mentions AS
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
UNION ALL BY NAME
SELECT
    a.*,
    a.partition_date AS day,
    'added' AS review_status
FROM added_mentions AS a;
