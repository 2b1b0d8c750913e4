-- What officials said: quotes of one official (name or part of it), or of all, newest first.
-- param: official =
-- param: limit = 20
SELECT day, speaker, role, org, quote, source
FROM official_quotes
WHERE $official = '' OR speaker ILIKE '%' || $official || '%' OR person_id = $official
ORDER BY day DESC, speaker
LIMIT CAST($limit AS INTEGER);
