-- Rebuild a store's `decisions` table made before missed mentions could be added (status
-- 'added', column `payload`): SQLite cannot change a CHECK constraint in place. Run in a
-- transaction; decision ids and order are kept.
CREATE TABLE decisions_new (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id TEXT NOT NULL,
    article_id TEXT,
    kind TEXT,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'corrected', 'added')),
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    reason TEXT,
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    payload TEXT
);
INSERT INTO decisions_new (decision_id, mention_id, article_id, kind, status, field, old_value,
                           new_value, reason, reviewer, reviewed_at)
SELECT decision_id, mention_id, article_id, kind, status, field, old_value, new_value, reason,
       reviewer, reviewed_at
FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
CREATE INDEX IF NOT EXISTS decisions_mention ON decisions (mention_id);
