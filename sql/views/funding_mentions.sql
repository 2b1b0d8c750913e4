-- funding_mentions: one row per (reviewed) funding mention, its funder canonical also where a
-- reviewer typed it ("la Région" in an Occitan article is "Région Occitanie", as the extraction
-- names it): `funder`, `funder_id` and `funder_ids` always agree. `funder_text` is the funder as
-- the article wrote it, or as the reviewer typed it (`funder_rule` 'review'). Read by
-- funding_events and entities.
-- Example: SELECT funder, funder_text, review_status FROM funding_mentions WHERE funder IS NOT NULL;
CREATE OR REPLACE VIEW funding_mentions AS
SELECT
    m.* REPLACE (
        CASE WHEN f.mention_id IS NULL THEN m.funder ELSE f.funder END AS funder,
        CASE WHEN f.mention_id IS NULL THEN m.funder_id ELSE f.funder_id END AS funder_id,
        CASE WHEN f.mention_id IS NULL THEN m.funder_ids ELSE f.funder_ids END AS funder_ids,
        CASE WHEN f.mention_id IS NULL THEN m.funder_text ELSE f.funder_written END AS funder_text,
        -- a funder a reviewer typed was named by no extraction rule
        CASE WHEN f.mention_id IS NULL THEN m.funder_rule ELSE 'review' END AS funder_rule,
        CASE WHEN f.mention_id IS NULL THEN m.funder_confidence END AS funder_confidence
    )
FROM reviewed_mentions AS m
LEFT JOIN reviewed_funders AS f USING (mention_id)
WHERE m.kind = 'funding';
