-- Indexes of the published snapshot only (pipeline/warehouse/publish.py, index_snapshot): the review desk's
-- lookups of a mention by id, of an article's mentions, and of an article, without a full scan;
-- `review_state` by mention too, since a mention's published review state is joined on its id.
CREATE INDEX IF NOT EXISTS mentions_by_id ON mentions (mention_id);
CREATE INDEX IF NOT EXISTS mentions_by_article ON mentions (article_id);
CREATE INDEX IF NOT EXISTS articles_by_id ON articles (article_id);
CREATE INDEX IF NOT EXISTS review_state_by_mention ON review_state (mention_id);
