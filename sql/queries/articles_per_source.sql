-- Articles kept per source, with the first and last day seen.
SELECT source, count(*) AS articles, min(partition_date) AS first_day, max(partition_date) AS last_day
FROM articles
GROUP BY source
ORDER BY articles DESC, source;
