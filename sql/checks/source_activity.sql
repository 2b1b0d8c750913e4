-- For each source, the days run up to the checked day (?) and how many feed entries each gave
-- (none when no feed of the source could be read that day, whatever earlier runs kept).
WITH run_days AS (
    SELECT DISTINCT partition_date FROM fetch_log WHERE kind = 'feed' AND partition_date <= ?
)
SELECT
    l.source,
    r.partition_date,
    count(e.url) FILTER (WHERE l.ok) AS entries,
    any_value(l.reason) FILTER (WHERE NOT l.ok) AS reason
FROM run_days AS r
JOIN fetch_log AS l ON l.partition_date = r.partition_date AND l.kind = 'feed'
LEFT JOIN feed_entries AS e ON e.partition_date = r.partition_date AND e.source = l.source
GROUP BY l.source, r.partition_date
ORDER BY l.source, r.partition_date DESC;
