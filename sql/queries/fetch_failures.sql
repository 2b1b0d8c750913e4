-- Feeds, pages and articles that failed, with the reason (most recent days first).
-- param: limit = 50
SELECT partition_date AS day, source, kind, status, url, reason
FROM fetch_log
WHERE NOT ok
ORDER BY day DESC, source, url
LIMIT CAST($limit AS INTEGER);
