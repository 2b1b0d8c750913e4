-- Digest: the period's quotes whose speaker is an official named in the same article, with the
-- official's role and organisation (as reviewed).
SELECT q.mention_id, q.day, q.speaker, o.role, o.org, coalesce(q.quote, q.text) AS quote,
       a.title, a.url, coalesce(s.name, a.source) AS source
FROM live_mentions AS q
JOIN articles AS a USING (article_id)
LEFT JOIN sources AS s ON s.source = a.source
JOIN (
    SELECT article_id, entity_id, name, any_value(role) AS role, any_value(org) AS org
    FROM live_mentions
    WHERE kind = 'official' AND review_status <> 'rejected'
    GROUP BY ALL
) AS o ON o.article_id = q.article_id AND (o.entity_id = q.speaker_id OR o.name = q.speaker)
WHERE q.kind = 'quote'
  AND q.review_status <> 'rejected'
  AND list_contains($statuses, q.review_status)
  AND q.day BETWEEN $date_from AND $date_to
QUALIFY row_number() OVER (PARTITION BY q.mention_id ORDER BY o.entity_id = q.speaker_id DESC) = 1
ORDER BY q.day DESC, a.published_at DESC, q."start"
LIMIT 30;
