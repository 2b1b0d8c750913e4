-- Funding totals grouped by region, quarter, instrument or funder (by = one of them).
-- param: by = region (region, quarter, instrument, funder)
-- param: from =
-- param: to =
SELECT CASE $by WHEN 'region' THEN region
                WHEN 'quarter' THEN strftime(quarter, '%Y') || '-Q' || quarter(quarter)
                WHEN 'instrument' THEN instrument WHEN 'funder' THEN funder END AS "group",
       count(*) AS events, sum(amount_eur) AS total_eur
FROM funding_events
WHERE amount_eur IS NOT NULL AND counted AND $by IN ('region', 'quarter', 'instrument', 'funder')
  AND ($from = '' OR day >= CAST($from AS DATE))
  AND ($to = '' OR day <= CAST($to AS DATE))
GROUP BY ALL
ORDER BY total_eur DESC;
