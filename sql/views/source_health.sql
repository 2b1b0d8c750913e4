-- source_health: per source and day, the articles kept, the requests that failed and the
-- articles kept without mentions because their extraction raised.
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
    SELECT source, partition_date AS day,
           count(*) FILTER (WHERE NOT ok AND kind <> 'extract') AS failed_requests,
           count(*) FILTER (WHERE NOT ok AND kind = 'extract') AS failed_extractions
    FROM fetch_log
    GROUP BY ALL
)
SELECT
    source,
    day,
    coalesce(k.articles, 0) AS articles,
    coalesce(k.paywalled, 0) AS paywalled,
    coalesce(k.duplicates, 0) AS duplicates,
    coalesce(f.failed_requests, 0) AS failed_requests,
    coalesce(f.failed_extractions, 0) AS failed_extractions
FROM kept AS k
FULL JOIN failed AS f USING (source, day);
