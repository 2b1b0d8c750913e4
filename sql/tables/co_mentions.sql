-- cluster_officials / cluster_pairs: who and what is named in the same articles as a cluster.
-- Example: SELECT * FROM cluster_officials WHERE cluster = 'Innovin' LIMIT 10;

-- cluster_officials: per cluster, each official named in the same articles, with the number
-- of such articles and the first and last day seen together.
CREATE OR REPLACE TABLE cluster_officials AS
SELECT
    c.entity_id AS cluster_id,
    any_value(c.cluster) AS cluster,
    o.person_id,
    any_value(o.name) AS official,
    any_value(o.role) AS role,
    any_value(o.org) AS org,
    count(DISTINCT c.article_id) AS articles,
    min(c.day) AS first_seen,
    max(c.day) AS last_seen
FROM (SELECT DISTINCT entity_id, cluster, article_id, day FROM cluster_mentions) AS c
JOIN (SELECT DISTINCT person_id, name, role, org, article_id FROM official_mentions) AS o
    USING (article_id)
GROUP BY c.entity_id, o.person_id;

-- cluster_pairs: per cluster, each other cluster named in the same articles, and how many.
CREATE OR REPLACE TABLE cluster_pairs AS
SELECT
    a.entity_id AS cluster_id,
    any_value(a.cluster) AS cluster,
    b.entity_id AS other_id,
    any_value(b.cluster) AS other,
    count(DISTINCT a.article_id) AS articles
FROM (SELECT DISTINCT entity_id, cluster, article_id FROM cluster_mentions) AS a
JOIN (SELECT DISTINCT entity_id, cluster, article_id FROM cluster_mentions) AS b
    ON a.article_id = b.article_id AND a.entity_id <> b.entity_id
GROUP BY a.entity_id, b.entity_id;
