-- Funding totals grouped by region, quarter, instrument, funder or recipient (by = one of them).
-- By région, only what lands in a région (local or regional scope: a national or European
-- envelope is no région's money). By funder, one row per institution: a joint funding counts
-- as one event for each of its funders, `total_eur` is each funder's equal share of the amount
-- (the rows add up to the events' total) and `participated_eur` the whole amounts it took part
-- in. By recipient, one row per canonical cluster, place or organisation (`id`) when the
-- recipient names one, else per recipient as written (an empty group: no recipient named).
-- param: by = region (region, quarter, instrument, funder, recipient)
-- param: from =
-- param: to =
WITH events AS (
    SELECT
        CASE $by WHEN 'region' THEN region
                 WHEN 'quarter' THEN strftime(quarter, '%Y') || '-Q' || quarter(quarter)
                 WHEN 'instrument' THEN instrument
                 WHEN 'recipient' THEN coalesce(e.name, f.recipient) END AS "group",
        CASE $by WHEN 'recipient' THEN f.recipient_id END AS id,
        amount_eur AS share_eur,
        amount_eur,
        len(string_split(funder, ', ')) > 1 AS joint
    FROM funding_events AS f
    LEFT JOIN entities AS e ON e.entity_id = f.recipient_id
    WHERE $by IN ('region', 'quarter', 'instrument', 'recipient')
      AND amount_eur IS NOT NULL AND counted
      AND ($from = '' OR day >= CAST($from AS DATE))
      AND ($to = '' OR day <= CAST($to AS DATE))
      AND ($by <> 'region' OR in_region)
    UNION ALL
    SELECT funder, funder_id, share_eur, amount_eur, funders > 1
    FROM funding_event_funders
    WHERE $by = 'funder'
      AND amount_eur IS NOT NULL AND counted
      AND ($from = '' OR day >= CAST($from AS DATE))
      AND ($to = '' OR day <= CAST($to AS DATE))
)
SELECT
    "group",
    id,
    count(*) AS events,
    sum(share_eur) AS total_eur,
    sum(amount_eur) AS participated_eur,
    count(*) FILTER (WHERE joint) AS joint_events
FROM events
GROUP BY "group", id
ORDER BY total_eur DESC, "group";
