-- One live mention with its article, for the desk's mention page.
SELECT m.*, a.title, a.url, a.source, coalesce(s.name, a.source) AS source_name,
       a.published_at, e.name AS entity_name
FROM live_mentions AS m
JOIN articles AS a USING (article_id)
LEFT JOIN sources AS s ON s.source = a.source
LEFT JOIN entities AS e ON e.entity_id = m.entity_id
WHERE m.mention_id = $mention_id;
