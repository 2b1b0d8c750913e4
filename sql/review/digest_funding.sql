-- Digest: the period's funding, as reviewed (rejected left out, corrections applied), biggest
-- first; copies of another article are left out (`pipeline.review.digest.funding_events` then keeps
-- the real funding events among them, each once). `in_region` as in funding_events: local or
-- regional money (no scope, as for a mention a reviewer added, counts as regional); national and
-- European envelopes are shown apart, never in the régions' total.
SELECT m.mention_id, m.article_id, m.day, m.amount_eur, m.amount_max_eur, m.amount_text, m.text,
       m.funder, m.recipient,
       m.instrument, m.sentence, a.title, a.url, coalesce(s.name, a.source) AS source, m.review_status,
       m.scope, coalesce(m.scope, 'regional') IN ('local', 'regional') AS in_region
FROM live_mentions AS m
JOIN articles AS a USING (article_id)
LEFT JOIN sources AS s ON s.source = a.source
WHERE m.kind = 'funding'
  AND m.review_status <> 'rejected'
  AND list_contains($statuses, m.review_status)
  AND m.day BETWEEN $date_from AND $date_to
  AND a.duplicate_of IS NULL
ORDER BY m.amount_eur DESC NULLS LAST, m.day DESC
LIMIT 200;
