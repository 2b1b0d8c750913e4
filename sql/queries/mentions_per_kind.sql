-- Mentions per kind, and in how many articles they appear.
SELECT kind, sum(mentions)::BIGINT AS mentions, sum(articles)::BIGINT AS articles
FROM kind_activity
GROUP BY kind
ORDER BY mentions DESC, kind;
