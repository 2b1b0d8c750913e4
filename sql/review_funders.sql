-- Run at each publish, after review_state.sql: the funders reviewers typed (a corrected funder,
-- or the funder of a funding mention added by hand), with the article's région, for the pipeline
-- to make canonical as the extraction does (`reviewed_funders`, read by the funding and entity
-- tables). An emptied funder comes back as '' (no funder).
SELECT r.mention_id, r.funder AS funder_written, m.article_region
FROM review_state AS r
JOIN mentions AS m USING (mention_id)
WHERE m.kind = 'funding' AND r.funder IS NOT NULL
UNION ALL
SELECT mention_id, coalesce(funder, ''), article_region
FROM added_mentions
WHERE kind = 'funding'
ORDER BY mention_id;
