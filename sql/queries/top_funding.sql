-- The biggest funding events of a period (default: everything), with funder and recipient (each
-- also as the article wrote it) and scope (where the money lands: local, regional, national,
-- european); with a région, only what lands in it.
-- param: from =
-- param: to =
-- param: region =
-- param: limit = 10
SELECT day, amount_eur, instrument, funder, funder_text, recipient, recipient_text, recipient_id,
       scope, region, source, amount_text
FROM funding_events
WHERE amount_eur IS NOT NULL AND counted
  AND ($from = '' OR day >= CAST($from AS DATE))
  AND ($to = '' OR day <= CAST($to AS DATE))
  AND ($region = '' OR (region = $region AND in_region))
ORDER BY amount_eur DESC, day DESC
LIMIT CAST($limit AS INTEGER);
