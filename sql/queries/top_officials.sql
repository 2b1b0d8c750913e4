-- The most mentioned officials with their most frequent role and organisation.
-- param: limit = 10
SELECT name, mode(role) AS role, mode(org) AS org, count(DISTINCT article_id) AS articles,
       count(*) AS mentions
FROM official_mentions
GROUP BY name
ORDER BY articles DESC, mentions DESC, name
LIMIT CAST($limit AS INTEGER);
