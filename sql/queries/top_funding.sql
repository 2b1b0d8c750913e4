-- The largest funding amounts, one row per article and amount (its best-described mention).
-- param: limit = 10
SELECT amount_eur, amount_text, instrument, funder, recipient, day, title
FROM funding_events
WHERE amount_eur IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY article_id, amount_eur
    ORDER BY (funder IS NOT NULL) DESC, (instrument IS NOT NULL) DESC, confidence DESC, mention_id
) = 1
ORDER BY amount_eur DESC, day, amount_text
LIMIT CAST($limit AS INTEGER);
