-- funding_events: one row per (reviewed) funding mention: amount in euros, instrument, funder
-- (canonical: "la Région" in a Breton article is "Région Bretagne"), recipient, article, date.
-- `counted` is false for an amount the article restates and for articles that copy another:
-- sum only counted events.
-- Example: SELECT funder, sum(amount_eur) FROM funding_events WHERE counted GROUP BY ALL;
CREATE OR REPLACE TABLE funding_events AS
SELECT
    mention_id,
    amount_eur,
    amount_max_eur,                  -- upper bound of a range ("entre 2 et 3 M€")
    amount_text,
    instrument,
    funder,
    funder_id,
    funder_ids,
    funder_text,                     -- the funder as the article wrote it
    investors,
    recipient,
    article_id,
    source,
    day,
    date_trunc('quarter', day)::DATE AS quarter,
    article_region AS region,
    sentence,
    confidence,
    review_status,
    duplicate_of,
    duplicate_of IS NULL AND (
        amount_eur IS NULL
        OR row_number() OVER (
            PARTITION BY article_id, amount_eur, amount_max_eur
            ORDER BY funder IS NULL, "start"
        ) = 1
    ) AS counted
FROM reviewed_mentions
WHERE kind = 'funding';
