-- The review queue's matching mentions: the FROM and WHERE that `queue_page` and `queue_count`
-- (pipeline/review/queue.py) share, over `live_queue` (sql/review/live_overlay.sql: the
-- snapshot's narrow `review_queue` with the mentions decided since its publish laid over it).
-- Each NULL filter is off. The search is a case-insensitive match of the text as typed (escaped,
-- so no character is special), which reads each row's text once where lower() would copy it.
FROM live_queue AS m
WHERE ($kind IS NULL OR m.kind = $kind)
  AND ($statuses IS NULL OR list_contains($statuses, m.review_status))
  AND ($region IS NULL OR m.article_region = $region)
  AND ($source IS NULL OR m.source = $source)
  AND ($date_from IS NULL OR m.day >= $date_from)
  AND ($date_to IS NULL OR m.day <= $date_to)
  AND ($cluster IS NULL OR m.article_id IN (
      SELECT c.article_id FROM live_queue AS c
      WHERE c.kind = 'cluster' AND c.name = $cluster AND c.review_status <> 'rejected'
        AND ($date_from IS NULL OR c.day >= $date_from)
        AND ($date_to IS NULL OR c.day <= $date_to)
  ))
  AND ($q IS NULL OR regexp_matches(m.search, regexp_escape($q), 'i'))
