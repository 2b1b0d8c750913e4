-- The $limit officials named in most articles between $from and $to, with their latest role and
-- organisation.
SELECT
    person_id,
    mode(name) AS name,
    arg_max(role, day) AS role,
    arg_max(org, day) AS org,
    count(DISTINCT article_id) AS articles,
    count(DISTINCT source) AS sources
FROM official_mentions
WHERE day BETWEEN $from AND $to AND person_id IS NOT NULL
GROUP BY person_id
ORDER BY articles DESC, name, person_id
LIMIT $limit;
