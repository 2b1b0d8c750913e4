-- The review queue: live mentions matching the desk's filters (each NULL filter is off), newest
-- day and least confident first, with their article and the evidence to show.
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
    m.recipient,
    m.instrument,
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
    END AS evidence,
    count(*) OVER () AS total
FROM live_mentions AS m
JOIN articles AS a USING (article_id)
LEFT JOIN sources AS s ON s.source = a.source
WHERE ($kind IS NULL OR m.kind = $kind)
  AND ($statuses IS NULL OR list_contains($statuses, m.review_status))
  AND ($region IS NULL OR m.article_region = $region)
  AND ($source IS NULL OR a.source = $source)
  AND ($date_from IS NULL OR m.day >= $date_from)
  AND ($date_to IS NULL OR m.day <= $date_to)
  AND ($cluster IS NULL OR m.article_id IN (
      SELECT c.article_id FROM live_mentions AS c
      WHERE c.kind = 'cluster' AND c.name = $cluster AND c.review_status <> 'rejected'
  ))
  AND ($q IS NULL OR contains(
      lower(concat_ws(' ', m.text, m.name, m.sentence, a.title, m.org, m.funder, m.recipient)),
      lower($q)
  ))
ORDER BY m.day DESC, m.confidence ASC NULLS FIRST, a.published_at DESC, m.article_id, m."start"
LIMIT $limit OFFSET $offset;
