-- Clusters rising: articles in the period ending at as_of against the one before, with support.
-- param: period = month (week, month, quarter, year)
-- param: as_of =
-- param: min_articles = 3
-- param: limit = 20
WITH cur AS (
    SELECT coalesce(TRY_CAST(nullif($as_of, '') AS DATE),
                    (SELECT max(day) FROM entity_activity WHERE kind = 'cluster'))
           AS as_of,
           ('1 ' || $period)::INTERVAL AS span
    WHERE $period IN ('week', 'month', 'quarter', 'year')
),
bounds AS (
    SELECT as_of, (as_of - span + INTERVAL 1 DAY)::DATE AS cur_start,
           (as_of - 2 * span + INTERVAL 1 DAY)::DATE AS prev_start
    FROM cur
),
counts AS (
    SELECT entity_id, any_value(name) AS cluster,
           coalesce(sum(articles) FILTER (WHERE day >= cur_start), 0)::BIGINT AS articles,
           coalesce(sum(articles) FILTER (WHERE day < cur_start), 0)::BIGINT AS previous_articles,
           count(DISTINCT source) FILTER (WHERE day >= cur_start) AS sources
    FROM entity_activity, bounds
    WHERE kind = 'cluster' AND day >= prev_start AND day <= as_of
    GROUP BY entity_id
)
SELECT cluster, entity_id, articles, previous_articles, sources,
       articles - previous_articles AS gain,
       round(articles / greatest(previous_articles, 1), 2) AS growth
FROM counts
WHERE articles >= CAST($min_articles AS INTEGER) AND articles > previous_articles
ORDER BY growth DESC, gain DESC, cluster
LIMIT CAST($limit AS INTEGER);
