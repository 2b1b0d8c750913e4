-- live_mentions (temporary, per connection of the review desk): every mention of the snapshot
-- and every mention added by a reviewer, with the review store's decisions as they are now, so a
-- decision shows at once, before any publish. It is the snapshot's `mentions_as_reviewed`
-- (sql/views/reviewed_mentions.sql), read while the temporary views of
-- sql/review/live_state.sql stand in for `review_state` and `added_mentions`; rejected mentions
-- are kept (`review_status` 'rejected') for the desk to show and filter.
CREATE OR REPLACE TEMP VIEW live_mentions AS
SELECT * FROM mentions_as_reviewed;
