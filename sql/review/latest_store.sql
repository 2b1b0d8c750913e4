-- review_latest: the latest state of every reviewed mention, kept up to date by a trigger in the
-- transaction that appends a decision, so the desk reads one indexed row per mention instead of
-- replaying the whole decision log. The same rules as sql/review_state.sql: the latest accept or
-- reject, the latest value of each corrected field, the latest added mention's fields. An
-- 'undone' decision (a bulk decision taken back) sets the status to the verdict it gives back,
-- NULL included; it changes no field.
-- Run once per process on the review store, after its migrations; a store made before this table
-- has its decisions replayed through the trigger, in the same transaction. The
-- trigger is dropped and created again so that a store keeps the current one.
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS review_latest (
    mention_id TEXT PRIMARY KEY,
    article_id TEXT,
    kind TEXT,
    status TEXT,                     -- the latest accepted / rejected (NULL: none)
    corrected INTEGER NOT NULL,      -- 1 once a field was corrected
    name TEXT,
    role TEXT,
    org TEXT,
    amount_eur TEXT,
    funder TEXT,
    recipient TEXT,
    instrument TEXT,
    entity_id TEXT,
    speaker TEXT,
    payload TEXT,                    -- the latest 'added' decision's fields, as JSON
    last_decision_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS review_latest_since ON review_latest (last_decision_id);

DROP TRIGGER IF EXISTS decisions_to_latest;
CREATE TRIGGER decisions_to_latest AFTER INSERT ON decisions
BEGIN
    INSERT INTO review_latest (
        mention_id, article_id, kind, status, corrected, name, role, org, amount_eur, funder,
        recipient, instrument, entity_id, speaker, payload, last_decision_id
    )
    VALUES (
        NEW.mention_id, NEW.article_id, NEW.kind,
        CASE WHEN NEW.status IN ('accepted', 'rejected') THEN NEW.status
             WHEN NEW.status = 'undone' THEN NEW.new_value END,
        NEW.status = 'corrected',
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'name' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'role' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'org' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'amount_eur' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'funder' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'recipient' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'instrument' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'entity_id' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'corrected' AND NEW.field = 'speaker' THEN NEW.new_value END,
        CASE WHEN NEW.status = 'added' THEN NEW.payload END, NEW.decision_id)
    ON CONFLICT (mention_id) DO UPDATE SET
        article_id = coalesce(excluded.article_id, review_latest.article_id),
        kind = coalesce(excluded.kind, review_latest.kind),
        status = CASE
            WHEN (SELECT u.status FROM decisions AS u
                  WHERE u.decision_id = excluded.last_decision_id) = 'undone' THEN excluded.status
            ELSE coalesce(excluded.status, review_latest.status)
        END,
        corrected = excluded.corrected OR review_latest.corrected,
        name = coalesce(excluded.name, review_latest.name),
        role = coalesce(excluded.role, review_latest.role),
        org = coalesce(excluded.org, review_latest.org),
        amount_eur = coalesce(excluded.amount_eur, review_latest.amount_eur),
        funder = coalesce(excluded.funder, review_latest.funder),
        recipient = coalesce(excluded.recipient, review_latest.recipient),
        instrument = coalesce(excluded.instrument, review_latest.instrument),
        entity_id = coalesce(excluded.entity_id, review_latest.entity_id),
        speaker = coalesce(excluded.speaker, review_latest.speaker),
        payload = coalesce(excluded.payload, review_latest.payload),
        last_decision_id = excluded.last_decision_id;
END;

-- A store made before this table: its decisions are appended again, in order and with their
-- ids, so the trigger above fills review_latest by the same rules as for a new decision.
CREATE TEMP TABLE replay AS
SELECT * FROM decisions WHERE NOT EXISTS (SELECT 1 FROM review_latest);
DELETE FROM decisions WHERE decision_id IN (SELECT decision_id FROM temp.replay);
INSERT INTO decisions SELECT * FROM temp.replay ORDER BY decision_id;
DROP TABLE temp.replay;
COMMIT;
