-- funding_events: one row per funding mention: amount in euros, instrument, funder, recipient.
-- Example: SELECT funder, sum(amount_eur) FROM funding_events GROUP BY ALL ORDER BY 2 DESC;
CREATE OR REPLACE VIEW funding_events AS
SELECT
    m.mention_id,
    m.amount_eur,
    m.amount_max_eur,
    m.amount_text,
    m.instrument,
    m.funder,
    m.investors,
    m.recipient,
    m.article_id,
    a.source,
    a.partition_date AS day,
    a.title,
    m.sentence,
    m.confidence
FROM mentions AS m
JOIN articles AS a USING (article_id)
WHERE m.kind = 'funding';
