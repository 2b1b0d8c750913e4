-- Reviewed mentions between $from and $to by kind (rejected ones left out, as in every view).
SELECT kind, count(*) AS mentions
FROM reviewed_mentions
WHERE day BETWEEN $from AND $to
GROUP BY kind
ORDER BY mentions DESC, kind;
