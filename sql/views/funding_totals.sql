-- funding_totals: funding by région, quarter, instrument and funder (counted events with an
-- amount: no restatement, no copied article).
-- Example: SELECT region, sum(total_eur) FROM funding_totals GROUP BY ALL ORDER BY 2 DESC;
CREATE OR REPLACE VIEW funding_totals AS
SELECT
    region,
    quarter,
    instrument,
    funder,
    count(*) AS events,
    sum(amount_eur) AS total_eur
FROM funding_events
WHERE amount_eur IS NOT NULL AND counted
GROUP BY ALL;
