-- The officials most often named, with their latest role and organisation: ranked by the
-- articles that name them, then how often they are named, by how many sources, and the most
-- recently seen first.
-- param: limit = 10
-- param: region =
SELECT entity_id AS person_id, any_value(name) AS name, arg_max(role, day) AS role,
       arg_max(org, day) AS org, sum(articles)::BIGINT AS articles,
       sum(mentions)::BIGINT AS mentions, count(DISTINCT source) AS sources,
       max(day) AS last_seen
FROM entity_activity
WHERE kind = 'official' AND ($region = '' OR region = $region)
GROUP BY entity_id
ORDER BY articles DESC, mentions DESC, sources DESC, last_seen DESC, name
LIMIT CAST($limit AS INTEGER);
