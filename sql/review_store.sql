-- The review desk's own store (SQLite, WAL): every decision ever taken, never updated in place,
-- plus the desk's users, sessions and failed logins. Safe to run on every connection.
-- The pipeline reads the decisions when it publishes; a review never waits on a run, nor a run
-- on a review.
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id TEXT NOT NULL,        -- stable mention identity (article, kind, span, value)
    article_id TEXT,
    kind TEXT,                       -- the mention's kind, kept for orphaned decisions
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'corrected', 'added')),
    field TEXT,                      -- corrected column (status 'corrected')
    old_value TEXT,
    new_value TEXT,
    reason TEXT,                     -- why it was rejected
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,       -- ISO 8601, UTC
    payload TEXT                     -- status 'added': the missed mention's fields, as JSON
);
CREATE INDEX IF NOT EXISTS decisions_mention ON decisions (mention_id);

-- People who may open the desk: reviewers decide, viewers only read.
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('reviewer', 'viewer')),
    password_hash TEXT NOT NULL,     -- argon2id
    created_at TEXT NOT NULL
);

-- Open sessions: the cookie holds a random token, only its SHA-256 is kept here.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    csrf_token TEXT NOT NULL,        -- required in every form the session posts
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Failed logins, for rate limiting by user name and client address.
CREATE TABLE IF NOT EXISTS login_failures (
    user_name TEXT NOT NULL,
    client TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures (user_name, client, failed_at);
