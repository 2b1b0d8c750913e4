-- The $limit biggest counted funding events between $from and $to, with their article and outlet,
-- recipient and scope (a national envelope is listed, though the régions' chart leaves it out).
SELECT
    f.day,
    f.amount_eur,
    f.amount_max_eur,
    f.funder,
    f.recipient,
    f.instrument,
    f.scope,
    f.region,
    coalesce(s.name, f.source) AS source,
    a.title,
    a.url
FROM funding_events AS f
LEFT JOIN articles AS a ON a.article_id = f.article_id AND a.partition_date = f.day
LEFT JOIN sources AS s ON s.source = f.source
WHERE f.counted AND f.amount_eur IS NOT NULL AND f.day BETWEEN $from AND $to
ORDER BY f.amount_eur DESC, f.day DESC, f.mention_id
LIMIT $limit;
