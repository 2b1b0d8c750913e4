-- Create the pipeline's tables if they do not exist yet (safe to run on every connection).

-- Feed items discovered for a day (Europe/Paris partition), one per canonical URL.
CREATE TABLE IF NOT EXISTS feed_entries (
    partition_date DATE NOT NULL,
    source VARCHAR NOT NULL,
    feed_url VARCHAR NOT NULL,
    url VARCHAR NOT NULL,            -- as linked by the feed, made absolute
    article_id VARCHAR NOT NULL,     -- hash of the canonical URL
    guid VARCHAR,
    title VARCHAR,
    published_at TIMESTAMPTZ,        -- the feed's date
    summary VARCHAR
);

-- Every page fetched for a day: fetch metadata here, the body in the raw archive (by SHA-256),
-- so articles can be rebuilt offline with `veille reextract`.
CREATE TABLE IF NOT EXISTS raw_pages (
    partition_date DATE NOT NULL,
    article_id VARCHAR NOT NULL,     -- hash of the canonical URL: with the day, the key
    source VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    final_url VARCHAR,               -- after redirects
    status INTEGER,
    content_type VARCHAR,
    charset VARCHAR,                 -- from the Content-Type header
    headers VARCHAR,                 -- JSON: the response headers that matter (etag, dates...)
    content_sha256 VARCHAR,          -- the body in the archive
    fetched_at TIMESTAMPTZ,
    feed_published_at TIMESTAMPTZ,
    feed_title VARCHAR
);

-- Publication dates read from the pages of feed entries that had none (NULL: the page had none
-- either), so each such page is fetched once.
CREATE TABLE IF NOT EXISTS entry_dates (
    url VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    published_at TIMESTAMPTZ
);

-- The last answer of each feed, for conditional GET (ETag / Last-Modified) on the next run.
CREATE TABLE IF NOT EXISTS feed_state (
    feed_url VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    etag VARCHAR,
    last_modified VARCHAR,
    content_sha256 VARCHAR,          -- the last full body, in the archive
    checked_at TIMESTAMPTZ
);

-- One row per kept article.
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    url VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    title VARCHAR,
    published_at TIMESTAMPTZ,
    author VARCHAR,
    lang VARCHAR,
    text VARCHAR NOT NULL,
    n_chars INTEGER
);
ALTER TABLE articles ADD COLUMN IF NOT EXISTS section VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS canonical_url VARCHAR;
-- The page only shows a teaser of a subscriber-only article.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS paywalled BOOLEAN DEFAULT false;
-- SHA-256 of the normalised text: equal hashes are exact duplicates.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS content_hash VARCHAR;
-- Near-duplicates (one dispatch on several outlets) point at the first copy, with a score.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS similarity DOUBLE;
-- Where published_at comes from: "page", "feed", or when they disagree by more than a day
-- "page over feed YYYY-MM-DD" / "feed over page YYYY-MM-DD" (the other one's day).
ALTER TABLE articles ADD COLUMN IF NOT EXISTS date_source VARCHAR;

-- One row per extracted mention; kind-specific columns are NULL for other kinds.
CREATE TABLE IF NOT EXISTS mentions (
    mention_id VARCHAR NOT NULL,     -- stable: article, kind, span and normalised value
    article_id VARCHAR NOT NULL,
    partition_date DATE NOT NULL,
    kind VARCHAR NOT NULL,           -- cluster | official | funding | location | quote
    text VARCHAR NOT NULL,           -- surface text, = articles.text[start:end]
    "start" INTEGER NOT NULL,        -- character offsets into articles.text
    "end" INTEGER NOT NULL,
    sentence VARCHAR,                -- evidence
    confidence DOUBLE,
    rule VARCHAR,                    -- the extraction rule that fired
    extractor VARCHAR,               -- versions of the components that produced it
    name VARCHAR,                    -- cluster, official or location canonical name
    cluster_kind VARCHAR,
    known BOOLEAN,                   -- cluster found in the gazetteer
    role VARCHAR,
    role_category VARCHAR,
    org VARCHAR,
    amount_eur DOUBLE,
    amount_max_eur DOUBLE,           -- upper bound of a range
    amount_text VARCHAR,
    funder VARCHAR,
    recipient VARCHAR,
    instrument VARCHAR,
    region VARCHAR,
    departement_code VARCHAR,
    speaker VARCHAR,
    quote VARCHAR
);
-- Named investors of a levée de fonds (also its funders; none named: no funder).
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS investors VARCHAR;
-- Canonical ids (pipeline/nlp/entities.py): the cluster, person or place a mention is about.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS entity_id VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS org_id VARCHAR;          -- an official's organisation
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS funder_id VARCHAR;       -- NULL for several funders
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS funder_ids VARCHAR[];     -- one per funder named
-- The funder as the article wrote it; `funder` holds the canonical name ("Région Bretagne").
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS funder_text VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS speaker_id VARCHAR;      -- a quote's speaker
-- The région the article is about: its source's only région, else the most named one.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS article_region VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS source VARCHAR;          -- the article's source
-- The article is a near-copy of that one (articles.duplicate_of): left out of funding totals.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR;
-- An official's role as the article wrote it ("présidente", "vice-présidente chargée de
-- l'économie", also in `role`); `role_normalised` the masculine head for grouping.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS role_written VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS role_normalised VARCHAR;
-- Funding links: where the money lands (local, regional, national, european), and for the
-- funder and the recipient the rule that named it and that rule's share right on real_dev.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS scope VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS funder_rule VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS funder_confidence DOUBLE;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS recipient_rule VARCHAR;
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS recipient_confidence DOUBLE;
-- The recipient as the article wrote it ("la société Patalune", "le pôle Xylofutur"); `recipient`
-- holds the name as normalised (a cluster's canonical name, no leading article). NULL in mentions
-- loaded before it was kept: `veille reextract` fills it in.
ALTER TABLE mentions ADD COLUMN IF NOT EXISTS recipient_text VARCHAR;

-- Every feed and page request of a day that did not give an article, with the reason.
CREATE TABLE IF NOT EXISTS fetch_log (
    partition_date DATE NOT NULL,
    source VARCHAR NOT NULL,
    url VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,           -- feed | page | article | extract
    status INTEGER,
    ok BOOLEAN NOT NULL,
    reason VARCHAR                   -- NULL when ok
);
-- kind `extract`: an article kept without mentions because its extraction raised; the
-- component that raised ("veille_funding", "parser"...) and the article, for `veille reextract`.
ALTER TABLE fetch_log ADD COLUMN IF NOT EXISTS article_id VARCHAR;
ALTER TABLE fetch_log ADD COLUMN IF NOT EXISTS component VARCHAR;

-- Review decisions, copied from the review store at each publish (the review desk owns them):
-- the latest decision on a mention wins; corrections give one field's new value.
CREATE TABLE IF NOT EXISTS reviews (
    mention_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,         -- accepted | rejected | corrected | added | undone
    reviewer VARCHAR,
    reviewed_at TIMESTAMPTZ,
    reason VARCHAR,                  -- why a mention was rejected
    field VARCHAR,                   -- the corrected column
    old_value VARCHAR,
    new_value VARCHAR
);
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS decision_id BIGINT;
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS article_id VARCHAR;
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS kind VARCHAR;
-- Status 'added': a mention the extractor missed, added by a reviewer; its fields as JSON.
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS payload VARCHAR;
-- The bulk decision a decision belongs to (status 'undone': the one it takes back).
ALTER TABLE reviews ADD COLUMN IF NOT EXISTS batch_id VARCHAR;

-- The outlets of the sources file, as of the last run.
CREATE TABLE IF NOT EXISTS sources (
    source VARCHAR PRIMARY KEY,
    name VARCHAR,
    regions VARCHAR[],               -- today's régions the outlet covers
    feeds VARCHAR[],
    sitemaps VARCHAR[],
    language VARCHAR,
    updated_at TIMESTAMPTZ
);
-- The source's entry of the sources file as JSON: `veille reextract` rebuilds from it without
-- the file.
ALTER TABLE sources ADD COLUMN IF NOT EXISTS config VARCHAR;

-- One row per day loaded by a run: what it loaded and when it was published.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR NOT NULL,         -- Dagster's run id
    job VARCHAR,
    partition_date DATE NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    articles INTEGER,
    mentions INTEGER,
    failed_fetches INTEGER,
    extractor VARCHAR
);

-- Days whose data failed a blocking check (mention offsets, duplicate article ids). While a day
-- is listed, nothing is published: the snapshot keeps its last good state. A run of that day
-- whose checks pass removes it.
CREATE TABLE IF NOT EXISTS blocked_days (
    partition_date DATE NOT NULL,
    check_name VARCHAR NOT NULL,
    detail VARCHAR,
    found_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partition_date, check_name)
);
