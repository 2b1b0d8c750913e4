-- Run at each publish, after the review decisions are copied into `reviews`: the decisions in the
-- shape the views apply them, as two small tables, so no analyst query re-reads the decision log.

-- review_state: one row per reviewed mention: its latest accept/reject (or the verdict an undone
-- bulk decision gave back), its latest value of
-- each corrected field (NULL where not corrected) and its mention's day (NULL when the mention is
-- gone), in day order: a view joining on the day as well reads only the days it asks for.
CREATE OR REPLACE TABLE review_state AS
WITH verdicts AS (
    -- an 'undone' decision gives back the verdict in its new_value ('' stands for none, since
    -- arg_max passes over NULL values)
    SELECT
        mention_id,
        arg_max(CASE WHEN status = 'undone' THEN coalesce(new_value, '') ELSE status END,
                decision_id) AS status
    FROM reviews
    WHERE status IN ('accepted', 'rejected', 'undone')
    GROUP BY mention_id
),
latest_status AS (
    SELECT mention_id, status FROM verdicts WHERE status <> ''
),
corrections AS (
    SELECT
        mention_id,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'name') AS name,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'role') AS role,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'org') AS org,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'amount_eur') AS amount_eur,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'funder') AS funder,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'recipient') AS recipient,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'instrument') AS instrument,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'entity_id') AS entity_id,
        arg_max(new_value, decision_id) FILTER (WHERE field = 'speaker') AS speaker
    FROM reviews
    WHERE status = 'corrected'
    GROUP BY mention_id
)
SELECT
    mention_id,
    coalesce(s.status, 'corrected') AS status,
    c.mention_id IS NOT NULL AS corrected,
    c.* EXCLUDE (mention_id),
    m.partition_date
FROM latest_status AS s
FULL JOIN corrections AS c USING (mention_id)
LEFT JOIN (SELECT mention_id, partition_date FROM mentions) AS m USING (mention_id)
ORDER BY m.partition_date;

-- added_mentions: mentions a reviewer added by hand (missed by the extractor), as mention rows.
CREATE OR REPLACE TABLE added_mentions AS
WITH added AS (
    SELECT *
    FROM reviews
    WHERE status = 'added'
    QUALIFY row_number() OVER (PARTITION BY mention_id ORDER BY decision_id DESC) = 1
),
regions AS (
    SELECT article_id, any_value(article_region) AS article_region
    FROM mentions
    WHERE article_id IN (SELECT article_id FROM added)
    GROUP BY article_id
)
SELECT
    -- include: review/added_mention_columns.sql
FROM added AS r
JOIN articles AS a USING (article_id)
LEFT JOIN regions AS g USING (article_id)
ANTI JOIN mentions AS m USING (mention_id);
