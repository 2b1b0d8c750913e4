-- The review desk's own store (SQLite, WAL): every decision ever taken, never updated in place,
-- plus the desk's users, sessions and failed logins. Safe to run on every connection.
-- The pipeline reads the decisions when it publishes; a review never waits on a run, nor a run
-- on a review. Undoing a bulk decision appends decisions too (status 'undone', same batch_id),
-- each giving the mention back the verdict it had before the batch.
CREATE TABLE IF NOT EXISTS decisions (
    decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
    mention_id TEXT NOT NULL,        -- stable mention identity (article, kind, span, value)
    article_id TEXT,
    kind TEXT,                       -- the mention's kind, kept for orphaned decisions
    status TEXT NOT NULL
        CHECK (status IN ('accepted', 'rejected', 'corrected', 'added', 'undone')),
    field TEXT,                      -- corrected column (status 'corrected')
    old_value TEXT,
    new_value TEXT,                  -- status 'undone': the verdict given back (NULL: none)
    reason TEXT,                     -- why it was rejected
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,       -- ISO 8601, UTC
    payload TEXT,                    -- status 'added': the missed mention's fields, as JSON
    batch_id TEXT                    -- the bulk decision it belongs to, or the one it undoes
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

-- Login attempts, for the limits of pipeline/review/login_limits.py: recorded as pending before the
-- password is hashed, then marked failed or deleted when it was right.
CREATE TABLE IF NOT EXISTS login_attempts (
    attempt_id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_name TEXT NOT NULL,
    client TEXT NOT NULL,            -- the client's address (the proxy's view of it if trusted)
    attempted_at TEXT NOT NULL,      -- ISO 8601, UTC
    outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'failed'))
);
CREATE INDEX IF NOT EXISTS login_attempts_client ON login_attempts (client, attempted_at);
CREATE INDEX IF NOT EXISTS login_attempts_pair ON login_attempts (user_name, client);
DROP TABLE IF EXISTS login_failures;  -- replaced by login_attempts

-- Users who may no longer log in (`veille users disable`), kept with their decisions.
CREATE TABLE IF NOT EXISTS disabled_users (
    name TEXT PRIMARY KEY REFERENCES users (name) ON DELETE CASCADE,
    disabled_at TEXT NOT NULL
);
