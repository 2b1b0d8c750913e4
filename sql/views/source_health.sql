-- source_health: per source and day, the articles kept and the requests that failed.
-- Example: SELECT * FROM source_health WHERE articles = 0 ORDER BY day DESC;
CREATE OR REPLACE VIEW source_health AS
WITH kept AS (
    SELECT source, partition_date AS day, count(*) AS articles,
           count(*) FILTER (WHERE paywalled) AS paywalled,
           count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates
    FROM articles
    GROUP BY ALL
),
failed AS (
    SELECT source, partition_date AS day, count(*) FILTER (WHERE NOT ok) AS failed_requests
    FROM fetch_log
    GROUP BY ALL
)
SELECT
    source,
    day,
    coalesce(k.articles, 0) AS articles,
    coalesce(k.paywalled, 0) AS paywalled,
    coalesce(k.duplicates, 0) AS duplicates,
    coalesce(f.failed_requests, 0) AS failed_requests
FROM kept AS k
FULL JOIN failed AS f USING (source, day);
