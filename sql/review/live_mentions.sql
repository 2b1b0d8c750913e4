-- live_mentions as the desk computes the rows of newly decided mentions (temporary, in the
-- connection of that computation: pipeline/review/queue.py, _changes_for): every mention of the
-- snapshot and every mention added by a reviewer, with the review store's decisions applied. It
-- is the snapshot's `mentions_as_reviewed` (sql/views/reviewed_mentions.sql), read while the
-- temporary views of sql/review/live_state.sql stand in for `review_state` and
-- `added_mentions`; rejected mentions are kept (`review_status` 'rejected').
CREATE OR REPLACE TEMP VIEW live_mentions AS
SELECT * FROM mentions_as_reviewed;
