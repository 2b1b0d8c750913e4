-- What one cluster, company or town received, from whom and when, newest first: recipient is
-- its canonical id (cluster:aerospace-valley, place:toulon) or its name, any case or accents
-- (empty: every recipient); funding news without an amount included, each event once. The
-- funder and the recipient also come as the article wrote them (funder_text, recipient_text).
-- param: recipient =
-- param: from =
-- param: to =
-- param: limit = 100
WITH asked AS (
    SELECT entity_key($recipient) AS key
),
known AS (
    -- the canonical entities that name or spell the recipient asked for
    SELECT entity_id FROM entities, asked WHERE entity_key(name) = asked.key
    UNION
    SELECT entity_id FROM entity_aliases, asked WHERE entity_key(alias) = asked.key
)
SELECT
    f.day,
    coalesce(e.name, f.recipient) AS recipient,
    f.recipient_text,
    f.recipient_id,
    f.amount_eur,
    f.amount_max_eur,
    f.instrument,
    f.funder,
    f.funder_text,
    f.scope,
    f.region,
    coalesce(s.name, f.source) AS source,
    f.amount_text,
    f.sentence
FROM funding_events AS f
CROSS JOIN asked
LEFT JOIN entities AS e ON e.entity_id = f.recipient_id
LEFT JOIN sources AS s ON s.source = f.source
WHERE f.counted AND f.recipient IS NOT NULL
  AND ($recipient = ''
       OR f.recipient_id = $recipient
       OR entity_key(f.recipient) = asked.key
       OR f.recipient_id IN (SELECT entity_id FROM known))
  AND ($from = '' OR f.day >= CAST($from AS DATE))
  AND ($to = '' OR f.day <= CAST($to AS DATE))
ORDER BY f.day DESC, f.amount_eur DESC NULLS LAST, f.mention_id
LIMIT CAST($limit AS INTEGER);
