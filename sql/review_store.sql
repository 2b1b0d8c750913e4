-- The review desk's own store (SQLite, WAL): every decision ever taken, never updated in place.
-- The pipeline reads it when it publishes; a review never waits on a run, nor a run on a review.
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id TEXT NOT NULL,        -- stable mention identity (article, kind, span, value)
    article_id TEXT,
    kind TEXT,                       -- the mention's kind, kept for orphaned decisions
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'corrected')),
    field TEXT,                      -- corrected column (status 'corrected')
    old_value TEXT,
    new_value TEXT,
    reason TEXT,                     -- why it was rejected
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL        -- ISO 8601, UTC
);
CREATE INDEX IF NOT EXISTS decisions_mention ON decisions (mention_id);
