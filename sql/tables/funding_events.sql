-- funding_events / funding_event_funders: one row per (reviewed) funding mention: amount in euros,
-- instrument, funder (canonical: "la Région" in a Breton article is "Région Bretagne"),
-- recipient and the canonical entity it names, where the money lands, article, date.
-- `counted` is false for an amount the article restates and for articles that copy another;
-- régions' totals read only `in_region` events (a national or European envelope quoted in a
-- regional article is not that région's money): sum only counted events.
-- Example: SELECT funder, sum(amount_eur) FROM funding_events WHERE counted GROUP BY ALL;
CREATE OR REPLACE TABLE funding_events AS
WITH keyed AS (
    SELECT *, entity_key(recipient) AS recipient_key
    FROM funding_mentions             -- a funder a reviewer typed made canonical
),
events AS (
    SELECT
        *,
        -- "le pôle X", "la société X", "la commune de X": the name after the common noun
        regexp_replace(
            recipient_key,
            '^(pole de competitivite|pole|cluster|grappe|societe|entreprise|start up|startup'
            || '|biotech|laboratoire|association|commune de|commune d|ville de|ville d) ',
            ''
        ) AS recipient_head_key
    FROM keyed
),
-- Every proper-noun spelling of a known cluster, place or organisation (common nouns such
-- as "entreprise" name nothing in particular), the cluster first when one spelling names
-- several kinds of entity.
known_names AS (
    SELECT
        key,
        arg_min(entity_id, (CASE kind WHEN 'cluster' THEN 1 WHEN 'place' THEN 2 ELSE 3 END,
                            entity_id)) AS entity_id,
        arg_min(kind, (CASE kind WHEN 'cluster' THEN 1 WHEN 'place' THEN 2 ELSE 3 END,
                       entity_id)) AS kind
    FROM (
        SELECT entity_key(name) AS key, entity_id, kind
        FROM entities
        WHERE kind IN ('cluster', 'place', 'organisation') AND name <> lower(name)
        UNION
        SELECT entity_key(a.alias), a.entity_id, e.kind
        FROM entity_aliases AS a
        JOIN entities AS e USING (entity_id)
        WHERE e.kind IN ('cluster', 'place', 'organisation') AND a.alias <> lower(a.alias)
    )
    WHERE key <> ''
    GROUP BY key
)
SELECT
    e.mention_id,
    e.amount_eur,
    e.amount_max_eur,                -- upper bound of a range ("entre 2 et 3 M€")
    e.amount_text,
    e.instrument,
    e.funder,                        -- canonical; joint funders as "Région Occitanie, Bpifrance"
    e.funder_id,                     -- NULL unless there is exactly one funder
    e.funder_ids,                    -- one per funder, as funding_event_funders has them
    e.funder_text,                   -- the funder as the article wrote it (or a reviewer typed it)
    e.funder_rule,                   -- the extraction rule that named the funder
    e.funder_confidence,             -- that rule's share of right funders on annotated articles
    e.investors,
    e.recipient,                     -- who receives the money (as reviewed), its name normalised
    e.recipient_text,                -- the recipient as the article wrote it, whatever a review says
    -- the canonical cluster, place or organisation the recipient names (NULL: none known)
    coalesce(full_name.entity_id, head.entity_id) AS recipient_id,
    coalesce(full_name.kind, head.kind) AS recipient_kind,  -- cluster | place | organisation
    e.recipient_rule,                -- the extraction rule that named the recipient
    e.recipient_confidence,          -- that rule's share of right recipients
    e.scope,                         -- where the money lands: local, regional, national, european
    -- counted in its région's totals: local or regional money (an event without a scope, such
    -- as one a reviewer added, counts as regional: the extractor's own default)
    coalesce(e.scope, 'regional') IN ('local', 'regional') AS in_region,
    e.article_id,
    e.source,
    e.day,
    date_trunc('quarter', e.day)::DATE AS quarter,
    e.article_region AS region,      -- the région the article is about
    e.sentence,
    e.confidence,
    e.review_status,
    e.duplicate_of,
    e.duplicate_of IS NULL AND (
        e.amount_eur IS NULL
        OR row_number() OVER (
            PARTITION BY e.article_id, e.amount_eur, e.amount_max_eur
            ORDER BY e.funder IS NULL, e."start"
        ) = 1
    ) AS counted
FROM events AS e
LEFT JOIN known_names AS full_name ON full_name.key = e.recipient_key
LEFT JOIN known_names AS head ON head.key = e.recipient_head_key;

-- funding_event_funders: one row per funding event and funder: a joint funding ("Région
-- Occitanie, Bpifrance, Banque des Territoires") gives each institution its row, with the event
-- counted once per funder. `share_eur` splits the amount equally between its funders (summed
-- over funders, it adds up to the events' total); `amount_eur` is the whole amount each took
-- part in.
CREATE OR REPLACE TABLE funding_event_funders AS
WITH named AS (
    -- the reviewed funder, so that a corrected funder is the one counted
    SELECT
        *,
        CASE WHEN coalesce(funder, '') = '' THEN [NULL::VARCHAR]
             ELSE list_distinct(string_split(funder, ', ')) END AS funder_list
    FROM funding_events
)
SELECT
    n.mention_id,
    p.funder,                        -- one institution, canonical (NULL: no funder named)
    'funder:' || replace(entity_key(p.funder), ' ', '-') AS funder_id,  -- one of its funder_ids
    len(n.funder_list) AS funders,   -- how many funders the event names (at least 1)
    n.amount_eur,
    n.amount_max_eur,
    n.amount_eur / len(n.funder_list) AS share_eur,
    n.instrument,
    n.recipient,
    n.recipient_id,
    n.scope,
    n.in_region,
    n.article_id,
    n.source,
    n.day,
    n.quarter,
    n.region,
    n.counted
FROM named AS n
CROSS JOIN unnest(n.funder_list) AS p(funder);
