-- official_share_of_voice / official_share_by_region: each official's part of the articles that
-- quote or name officials, per cluster named in the article and per article région.
-- Example: SELECT * FROM official_share_by_region WHERE region = 'Occitanie' ORDER BY share DESC;

-- official_share_of_voice: per cluster, each official named in the same articles, with the
-- share of the cluster's articles naming officials that name this one.
CREATE OR REPLACE VIEW official_share_of_voice AS
WITH pairs AS (SELECT cluster_id, cluster, person_id, official, role, org, articles
               FROM cluster_officials)
SELECT
    *,
    round(articles / sum(articles) OVER (PARTITION BY cluster_id), 4) AS share
FROM pairs;

-- official_share_by_region: per article région, each official's share of the région's
-- articles that name officials, with the latest role and organisation.
CREATE OR REPLACE VIEW official_share_by_region AS
WITH per_person AS (
    SELECT region, entity_id AS person_id, any_value(name) AS official,
           arg_max(role, day) AS role, arg_max(org, day) AS org,
           sum(articles)::BIGINT AS articles
    FROM entity_activity
    WHERE kind = 'official' AND region IS NOT NULL
    GROUP BY region, entity_id
)
SELECT
    *,
    round(articles / sum(articles) OVER (PARTITION BY region), 4) AS share
FROM per_person;
