-- The largest funding amounts mentioned, with instrument, funder and recipient.
-- param: limit = 10
SELECT amount_eur, amount_text, instrument, funder, recipient, day, title
FROM funding_events
WHERE amount_eur IS NOT NULL
ORDER BY amount_eur DESC, day, amount_text
LIMIT CAST($limit AS INTEGER);
