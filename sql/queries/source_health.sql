-- Articles kept and requests failed per source and day (default: the last 14 days).
-- param: days = 14
SELECT source, day, articles, paywalled, duplicates, failed_requests
FROM source_health
WHERE day > (SELECT max(day) FROM source_health) - CAST($days AS INTEGER)
ORDER BY source, day;
