-- The first and last day of the reviewed mentions: the default report period ends on the last.
SELECT min(day) AS first_day, max(day) AS last_day
FROM reviewed_mentions;
