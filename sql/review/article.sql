-- One article, for the desk's article page.
SELECT article_id, url, source, title, published_at, partition_date AS day, author, text
FROM articles
WHERE article_id = $article_id;
