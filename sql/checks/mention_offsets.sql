-- Mentions of a day (?) whose offsets fall outside their article or do not match its text.
SELECT m.mention_id
FROM mentions AS m
LEFT JOIN articles AS a USING (article_id)
WHERE m.partition_date = ?
  AND (
      a.article_id IS NULL
      OR m."start" < 0
      OR m."end" > length(a.text)
      OR m."start" >= m."end"
      OR substring(a.text, m."start" + 1, m."end" - m."start") <> m.text
  )
ORDER BY m.mention_id;
