-- The officials most often named, with their latest role and organisation.
-- param: limit = 10
-- param: region =
SELECT person_id, any_value(name) AS name, arg_max(role, day) AS role, arg_max(org, day) AS org,
       count(DISTINCT article_id) AS articles, count(DISTINCT source) AS sources
FROM official_mentions
WHERE $region = '' OR region = $region
GROUP BY person_id
ORDER BY articles DESC, name
LIMIT CAST($limit AS INTEGER);
