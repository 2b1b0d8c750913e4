-- The SELECT list of a mention a reviewer added by hand, read from its latest decision `r`
-- (its JSON payload), its article `a` and the article's région `g`: one definition for the
-- published `added_mentions` (sql/review_state.sql) and the desk's live ones
-- (sql/review/live_state.sql), which include it through `read_sql`.
    r.mention_id,
    r.article_id,
    a.partition_date,
    r.kind,
    json_extract_string(r.payload, '$.text') AS text,
    TRY_CAST(json_extract_string(r.payload, '$.start') AS INTEGER) AS "start",
    TRY_CAST(json_extract_string(r.payload, '$.end') AS INTEGER) AS "end",
    json_extract_string(r.payload, '$.name') AS name,
    json_extract_string(r.payload, '$.role') AS role,
    json_extract_string(r.payload, '$.org') AS org,
    TRY_CAST(json_extract_string(r.payload, '$.amount_eur') AS DOUBLE) AS amount_eur,
    json_extract_string(r.payload, '$.funder') AS funder,
    json_extract_string(r.payload, '$.recipient') AS recipient,
    json_extract_string(r.payload, '$.instrument') AS instrument,
    json_extract_string(r.payload, '$.speaker') AS speaker,
    json_extract_string(r.payload, '$.quote') AS quote,
    'review' AS rule,                -- found by a reviewer, not by an extraction rule
    a.source,
    a.duplicate_of,
    g.article_region
