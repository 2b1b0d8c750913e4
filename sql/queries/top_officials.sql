-- The officials most often named, with their latest role and organisation.
-- param: limit = 10
-- param: region =
SELECT entity_id AS person_id, any_value(name) AS name, arg_max(role, day) AS role,
       arg_max(org, day) AS org, sum(articles)::BIGINT AS articles,
       count(DISTINCT source) AS sources
FROM entity_activity
WHERE kind = 'official' AND ($region = '' OR region = $region)
GROUP BY entity_id
ORDER BY articles DESC, name
LIMIT CAST($limit AS INTEGER);
