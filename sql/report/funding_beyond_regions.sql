-- The national and European envelopes quoted between $from and $to (counted events with an
-- amount whose scope is neither local nor regional): left out of the régions' chart.
SELECT count(*) AS events, coalesce(sum(amount_eur), 0) AS total_eur
FROM funding_events
WHERE counted AND amount_eur IS NOT NULL AND NOT in_region AND day BETWEEN $from AND $to;
