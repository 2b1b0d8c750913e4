-- Article ids stored more than once.
SELECT article_id, count(*) AS copies
FROM articles
GROUP BY article_id
HAVING count(*) > 1
ORDER BY article_id;
