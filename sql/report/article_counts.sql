-- Articles kept and sources read between $from and $to, with the copies of another article.
SELECT
    count(*) AS articles,
    count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS copies,
    count(DISTINCT source) AS sources
FROM articles
WHERE partition_date BETWEEN $from AND $to;
