-- The latest quote of each official quoted between $from and $to ($limit at most, newest first),
-- with role, organisation, article and outlet.
SELECT
    q.day,
    q.speaker,
    q.role,
    q.org,
    q.quote,
    coalesce(s.name, q.source) AS source,
    a.title,
    a.url
FROM official_quotes AS q
LEFT JOIN articles AS a ON a.article_id = q.article_id AND a.partition_date = q.day
LEFT JOIN sources AS s ON s.source = q.source
WHERE q.day BETWEEN $from AND $to
QUALIFY row_number() OVER (PARTITION BY q.person_id ORDER BY q.day DESC, q.mention_id) = 1
ORDER BY q.day DESC, q.speaker
LIMIT $limit;
