-- One article, for the desk's article page.
SELECT a.article_id, a.url, a.source, coalesce(s.name, a.source) AS source_name, a.title,
       a.published_at, a.partition_date AS day, a.author, a.text
FROM articles AS a
LEFT JOIN sources AS s ON s.source = a.source
WHERE a.article_id = $article_id;
