-- entities / entity_aliases / official_roles: canonical clusters, people, organisations, funders
-- and places; every spelling of each, with an example mention as evidence; each person's roles
-- over time. Rebuilt at every publish from the reviewed mentions.
-- Example: SELECT * FROM entities WHERE kind = 'cluster' ORDER BY articles DESC LIMIT 20;

-- entity_key(name): the comparison key of a name, as pipeline/nlp/entities.py `name_key` computes
-- it: lower case, no accents, apostrophes, hyphens, dots and slashes as single spaces, no
-- leading article ("la Région Sud" -> "region sud"); `kind:` and the key with hyphens for
-- spaces is a canonical id ("cluster:aerospace-valley").
CREATE OR REPLACE MACRO entity_key(name) AS regexp_replace(
    trim(regexp_replace(
        lower(strip_accents(replace(name, '’', ''''))), '[\s\x{00A0}\x{202F}''./-]+', ' ', 'g'
    )),
    '^(la|le|les|l) ',
    ''
);

-- entities: one row per canonical cluster, person, organisation, funder or place.
CREATE OR REPLACE TABLE entities AS
WITH named AS (
    SELECT entity_id, CASE kind WHEN 'cluster' THEN 'cluster' WHEN 'official' THEN 'person'
                                ELSE 'place' END AS kind,
           name, cluster_kind, article_id, day
    FROM reviewed_mentions WHERE kind IN ('cluster', 'official', 'location')
    UNION ALL
    SELECT speaker_id, 'person', speaker, NULL, article_id, day
    FROM reviewed_mentions WHERE kind = 'quote' AND speaker_id IS NOT NULL
    UNION ALL
    SELECT org_id, 'organisation', org, NULL, article_id, day
    FROM reviewed_mentions WHERE kind = 'official' AND org_id IS NOT NULL
    UNION ALL
    SELECT unnest(funder_ids), 'funder', unnest(string_split(funder, ', ')), NULL, article_id, day
    FROM funding_mentions WHERE funder_ids IS NOT NULL AND funder IS NOT NULL
)
SELECT
    entity_id,
    any_value(kind) AS kind,
    mode(name) AS name,              -- the most common spelling
    any_value(cluster_kind) AS cluster_kind,
    count(*) AS mentions,
    count(DISTINCT article_id) AS articles,
    min(day) AS first_seen,
    max(day) AS last_seen
FROM named
WHERE entity_id IS NOT NULL
GROUP BY entity_id
ORDER BY entity_id;

-- entity_aliases: every way the articles wrote an entity, with one article as evidence.
CREATE OR REPLACE TABLE entity_aliases AS
WITH written AS (
    SELECT entity_id, text AS alias, article_id, mention_id
    FROM reviewed_mentions WHERE kind IN ('cluster', 'official', 'location')
    UNION ALL
    SELECT entity_id, name, article_id, mention_id
    FROM reviewed_mentions WHERE kind IN ('cluster', 'official')
    UNION ALL
    SELECT funder_id, funder_text, article_id, mention_id
    FROM funding_mentions WHERE funder_text IS NOT NULL
)
SELECT
    alias,
    entity_id,
    count(*) AS mentions,
    min(article_id) AS example_article_id,
    min(mention_id) AS example_mention_id
FROM written
WHERE entity_id IS NOT NULL AND alias IS NOT NULL
GROUP BY alias, entity_id
ORDER BY entity_id, alias;

-- official_roles: each person's roles over time, one row per person, role and organisation.
CREATE OR REPLACE TABLE official_roles AS
SELECT
    entity_id AS person_id,
    mode(name) AS name,
    role,
    any_value(role_category) AS role_category,
    org,
    min(day) AS first_seen,
    max(day) AS last_seen,
    count(DISTINCT article_id) AS articles
FROM reviewed_mentions
WHERE kind = 'official' AND entity_id IS NOT NULL
GROUP BY entity_id, role, org
ORDER BY person_id, first_seen;
