-- Built in the snapshot only, at publish (pipeline/warehouse/publish.py, index_snapshot), for the
-- review desk; the working database does not carry them.
-- review_queue: one narrow row per mention as published (queue_rows.sql), sorted in the queue's
-- order, newest day first: a filter over the last days reads only their row groups, without the
-- joins of `mentions_as_reviewed` to articles and to the review state. The desk lays the mentions
-- decided since the publish over it (sql/review/live_overlay.sql).
-- review_options: the values the desk's filters offer (options.sql), computed once here rather
-- than by the first request after each publish.
CREATE OR REPLACE TABLE review_queue AS
SELECT * FROM (
    {queue_rows}
) AS q
ORDER BY q.day DESC, q.confidence ASC NULLS FIRST, q.published_at DESC, q.article_id, q."start";

CREATE OR REPLACE TABLE review_options AS
{options};
