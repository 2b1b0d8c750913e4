-- Funding between $from and $to by région and quarter: counted events with an amount only (no
-- restated amount, no copied article) that land in a région (local or regional scope: a
-- national or European envelope is no région's money), as in the view funding_totals.
SELECT region, quarter, count(*) AS events, sum(amount_eur) AS total_eur
FROM funding_events
WHERE counted AND amount_eur IS NOT NULL AND in_region AND day BETWEEN $from AND $to
GROUP BY region, quarter
ORDER BY region, quarter;
