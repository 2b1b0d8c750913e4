-- Built in the snapshot only, at publish (pipeline/warehouse/publish.py, index_snapshot), for the
-- review desk; the working database does not carry them.
-- review_queue: one narrow row per mention as published (queue_rows.sql), sorted by day (the
-- queue's first order), so that a filter over the last days reads only their row groups, without
-- the joins of `mentions_as_reviewed` to articles and to the review state. Sorting by the day
-- alone costs about two thirds of sorting by the queue's whole order, which only the page's
-- 50 rows need. The desk lays the mentions decided since the publish over it
-- (sql/review/live_overlay.sql).
-- review_options: the values the desk's filters offer (options.sql), computed once here rather
-- than by the first request after each publish.
CREATE OR REPLACE TABLE review_queue AS
SELECT * FROM (
-- include: review/queue_rows.sql
) AS q
ORDER BY q.day DESC;

CREATE OR REPLACE TABLE review_options AS
-- include: review/options.sql
;
