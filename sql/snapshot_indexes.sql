-- Indexes of the published snapshot only (pipeline/publish.py, index_snapshot): the review desk's
-- lookups of a mention by id, of an article's mentions, and of an article, without a full scan.
CREATE INDEX IF NOT EXISTS mentions_by_id ON mentions (mention_id);
CREATE INDEX IF NOT EXISTS mentions_by_article ON mentions (article_id);
CREATE INDEX IF NOT EXISTS articles_by_id ON articles (article_id);
