-- The desk's live views (temporary, per connection): the snapshot as published, with the mentions
-- decided since its publish replaced by their live rows. `store_latest` (the `review_latest` rows
-- of the mentions decided since), `store_decisions` (those decisions), `live_changed` (those
-- mentions as `mentions_as_reviewed` rows, computed from the decisions by sql/review/live_state.sql)
-- and `live_changed_queue` (their queue_rows.sql rows) are registered by
-- `pipeline.review.queue.open_live`, which computes them once per change of the review store.
-- live_mentions: every mention, rejected ones included, as reviewed now.
CREATE OR REPLACE TEMP VIEW live_mentions AS
SELECT * FROM mentions_as_reviewed
WHERE mention_id NOT IN (SELECT mention_id FROM store_latest)
UNION ALL BY NAME
SELECT * FROM live_changed;

-- live_decisions: every decision, the published ones and those since.
CREATE OR REPLACE TEMP VIEW live_decisions AS
SELECT * FROM reviews
UNION ALL BY NAME
SELECT * FROM store_decisions;

-- live_queue: the queue's narrow rows (sql/review/queue_table.sql), as reviewed now.
CREATE OR REPLACE TEMP VIEW live_queue AS
SELECT * FROM review_queue
WHERE mention_id NOT IN (SELECT mention_id FROM store_latest)
UNION ALL BY NAME
SELECT * FROM live_changed_queue;
