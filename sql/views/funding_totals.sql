-- funding_totals: funding by région, quarter, instrument, funder and scope (counted events with
-- an amount: no restatement, no copied article). `region` is the région the money lands in:
-- NULL for a national or European envelope, which no région's total counts. Joint funders get
-- one row each: `events` counts an event once per funder, `total_eur` is the funder's equal
-- share of it (so totals add up over funders), `participated_eur` the whole amounts it took
-- part in, `joint_events` how many of its events it shared with other funders.
-- Example: SELECT region, sum(total_eur) FROM funding_totals GROUP BY ALL ORDER BY 2 DESC;
CREATE OR REPLACE VIEW funding_totals AS
SELECT
    CASE WHEN in_region THEN region END AS region,
    quarter,
    instrument,
    funder,
    funder_id,
    scope,
    count(*) AS events,
    sum(share_eur) AS total_eur,
    sum(amount_eur) AS participated_eur,
    count(*) FILTER (WHERE funders > 1) AS joint_events
FROM funding_event_funders
WHERE amount_eur IS NOT NULL AND counted
GROUP BY ALL;
