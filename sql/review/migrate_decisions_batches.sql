-- Rebuild a store's `decisions` table made before bulk decisions could be undone (status
-- 'undone', column `batch_id`): SQLite cannot change a CHECK constraint in place. Run in a
-- transaction, after sql/review/migrate_decisions_added.sql; decision ids and order are kept.
CREATE TABLE decisions_new (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id TEXT NOT NULL,
    article_id TEXT,
    kind TEXT,
    status TEXT NOT NULL
        CHECK (status IN ('accepted', 'rejected', 'corrected', 'added', 'undone')),
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    reason TEXT,
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    payload TEXT,
    batch_id TEXT
);
INSERT INTO decisions_new (decision_id, mention_id, article_id, kind, status, field, old_value,
                           new_value, reason, reviewer, reviewed_at, payload)
SELECT decision_id, mention_id, article_id, kind, status, field, old_value, new_value, reason,
       reviewer, reviewed_at, payload
FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
CREATE INDEX IF NOT EXISTS decisions_mention ON decisions (mention_id);
