-- The desk's live review state (temporary views, per connection): what the snapshot was published
-- with, overridden by what the review store holds since. `store_decisions` and `store_latest`
-- (the `review_latest` rows of the mentions decided after what was last computed) are registered
-- by `pipeline.review.queue._changes_for`; `snapshot` stands for the snapshot's catalog. The
-- snapshot's `mentions_as_reviewed` then reads these views in place of its own `review_state` and
-- `added_mentions`, which gives those mentions' live rows; requests read them laid over the
-- published rows (sql/review/live_overlay.sql), so no request replays the decision log.
CREATE OR REPLACE TEMP VIEW live_decisions AS
SELECT * FROM snapshot.main.reviews
UNION ALL BY NAME
SELECT * FROM store_decisions;

CREATE OR REPLACE TEMP VIEW review_state AS
SELECT * FROM snapshot.main.review_state
WHERE mention_id NOT IN (SELECT mention_id FROM store_latest)
UNION ALL BY NAME
SELECT
    r.mention_id,
    coalesce(r.status, 'corrected') AS status,
    r.corrected,
    r.name, r.role, r.org, r.amount_eur, r.funder, r.recipient, r.instrument, r.entity_id,
    r.speaker,
    a.partition_date                 -- a mention's day is its article's
FROM store_latest AS r
LEFT JOIN snapshot.main.articles AS a USING (article_id)
WHERE r.status IS NOT NULL OR r.corrected;

-- live_added: the mentions added by hand since the snapshot, as mention rows. Driven from the
-- few articles they belong to, so the snapshot's mentions are only probed, never hashed whole.
CREATE OR REPLACE TEMP TABLE live_added AS
WITH wanted AS (
    SELECT * FROM store_latest WHERE payload IS NOT NULL
),
found AS (
    SELECT m.mention_id, m.article_id, m.article_region
    FROM snapshot.main.mentions AS m
    WHERE m.article_id IN (SELECT article_id FROM wanted)
),
regions AS (
    SELECT article_id, any_value(article_region) AS article_region FROM found GROUP BY article_id
)
SELECT
    -- include: review/added_mention_columns.sql
FROM wanted AS r
JOIN snapshot.main.articles AS a USING (article_id)
LEFT JOIN regions AS g USING (article_id)
WHERE r.mention_id NOT IN (SELECT mention_id FROM found);

CREATE OR REPLACE TEMP VIEW added_mentions AS
SELECT * FROM snapshot.main.added_mentions
WHERE mention_id NOT IN (SELECT mention_id FROM store_latest)
UNION ALL BY NAME
SELECT * FROM live_added;
