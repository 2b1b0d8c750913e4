-- cluster_weekly / cluster_monthly: per cluster and period, the articles, distinct sources and
-- mentions that name it.
-- Example: SELECT * FROM cluster_monthly WHERE cluster = 'Aerospace Valley' ORDER BY month;

-- cluster_weekly: per cluster and week (its Monday), the articles, distinct sources and
-- mentions that name it.
CREATE OR REPLACE VIEW cluster_weekly AS
SELECT
    date_trunc('week', day)::DATE AS week,
    entity_id,
    any_value(name) AS cluster,
    sum(articles)::BIGINT AS articles,
    count(DISTINCT source) AS sources,
    sum(mentions)::BIGINT AS mentions
FROM entity_activity
WHERE kind = 'cluster'
GROUP BY week, entity_id;

-- cluster_monthly: per cluster and month (its first day), the articles, distinct sources and
-- mentions that name it.
CREATE OR REPLACE VIEW cluster_monthly AS
SELECT
    date_trunc('month', day)::DATE AS month,
    entity_id,
    any_value(name) AS cluster,
    sum(articles)::BIGINT AS articles,
    count(DISTINCT source) AS sources,
    sum(mentions)::BIGINT AS mentions
FROM entity_activity
WHERE kind = 'cluster'
GROUP BY month, entity_id;
