-- Mentions per kind, and in how many articles they appear.
SELECT kind, count(*) AS mentions, count(DISTINCT article_id) AS articles
FROM reviewed_mentions
GROUP BY kind
ORDER BY mentions DESC, kind;
