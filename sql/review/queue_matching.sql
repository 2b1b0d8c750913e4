-- The review queue's matching mentions: the FROM and WHERE that `queue_page` and `queue_count`
-- (pipeline/review/queue.py) share. Each NULL filter is off. The day filters are given on both
-- the mentions and their articles (same day), so DuckDB skips the row groups of other days. The
-- search is a case-insensitive match of the text as typed (escaped, so no character is special),
-- which reads each row's text once where lower() would copy it first.
FROM live_mentions AS m
JOIN articles AS a USING (article_id)
WHERE ($kind IS NULL OR m.kind = $kind)
  AND ($statuses IS NULL OR list_contains($statuses, m.review_status))
  AND ($region IS NULL OR m.article_region = $region)
  AND ($source IS NULL OR a.source = $source)
  AND ($date_from IS NULL OR (m.day >= $date_from AND a.partition_date >= $date_from))
  AND ($date_to IS NULL OR (m.day <= $date_to AND a.partition_date <= $date_to))
  AND ($cluster IS NULL OR m.article_id IN (
      SELECT c.article_id FROM live_mentions AS c
      WHERE c.kind = 'cluster' AND c.name = $cluster AND c.review_status <> 'rejected'
        AND ($date_from IS NULL OR c.day >= $date_from)
        AND ($date_to IS NULL OR c.day <= $date_to)
  ))
  AND ($q IS NULL OR regexp_matches(
      concat_ws(' ', m.text, m.name, m.sentence, a.title, m.org, m.funder, m.recipient),
      regexp_escape($q), 'i'
  ))
