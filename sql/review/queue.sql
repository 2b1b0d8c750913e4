-- One page of the review queue: the mentions `$ids` (chosen by queue_matching.sql, between the
-- days `$first` and `$last`), newest day and least confident first, with their article and the
-- evidence to show. The day bounds let DuckDB read only those days' row groups.
SELECT
    m.mention_id,
    m.kind,
    m.text,
    m."start",
    m."end",
    m.confidence,
    m.rule,
    m.name,
    m.role,
    m.org,
    m.amount_eur,
    m.amount_text,
    m.funder,
    m.funder_text,
    m.recipient,
    m.recipient_text,
    m.instrument,
    m.scope,
    m.entity_id,
    m.speaker,
    m.quote,
    m.region,
    m.article_region,
    m.review_status,
    m.day,
    m.article_id,
    a.title,
    a.url,
    a.source,
    coalesce(s.name, a.source) AS source_name,
    a.published_at,
    CASE
        WHEN m.sentence IS NOT NULL AND contains(m.sentence, m.text) THEN m.sentence
        ELSE substr(a.text, greatest(m."start" - 120, 0) + 1, m."end" - greatest(m."start" - 120, 0) + 120)
    END AS evidence
FROM live_mentions AS m
JOIN articles AS a USING (article_id)
LEFT JOIN sources AS s ON s.source = a.source
WHERE m.day BETWEEN $first AND $last
  AND a.partition_date BETWEEN $first AND $last
  AND list_contains($ids, m.mention_id)
ORDER BY m.day DESC, m.confidence ASC NULLS FIRST, a.published_at DESC, m.article_id, m."start";
