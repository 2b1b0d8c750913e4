-- entity_activity / kind_activity: how often each cluster and official is named, per day and
-- source (with the article's région), and each kind of mention per day and source. Pre-counted
-- at every publish so that trends over years answer in well under a second: an article has one
-- day, one source and one région, so summing `articles` over any of those gives distinct
-- articles.
-- Example: SELECT name, sum(articles) FROM entity_activity WHERE kind = 'cluster' GROUP BY ALL;

-- entity_activity: per cluster or official, day, source and article région, the articles and
-- mentions that name it, with the official's role and organisation that day.
CREATE OR REPLACE TABLE entity_activity AS
SELECT
    kind,                            -- cluster | official
    entity_id,
    day,
    source,
    article_region AS region,
    any_value(name) AS name,
    any_value(cluster_kind) AS cluster_kind,
    any_value(role) AS role,         -- an official's role and organisation that day
    any_value(org) AS org,
    count(DISTINCT article_id) AS articles,
    count(*) AS mentions
FROM reviewed_mentions
WHERE kind IN ('cluster', 'official') AND entity_id IS NOT NULL
GROUP BY kind, entity_id, day, source, article_region
ORDER BY kind, day;

-- kind_activity: per kind of mention, day and source, the articles and mentions.
CREATE OR REPLACE TABLE kind_activity AS
SELECT
    kind,
    day,
    source,
    count(DISTINCT article_id) AS articles,
    count(*) AS mentions
FROM reviewed_mentions
GROUP BY kind, day, source
ORDER BY kind, day;
