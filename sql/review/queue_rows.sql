-- The review queue's row of a mention: the columns its filters and order read, with the text its
-- search matches (the mention's text, name, sentence, organisation, funder, recipient and its
-- article's title, as reviewed). Read from `mentions_as_reviewed` when a publish builds the
-- snapshot's `review_queue` (queue_table.sql); the desk reads the same columns from the live rows
-- of the mentions decided since (`pipeline.review.queue`, which names their relation instead).
SELECT
    m.mention_id,
    m.article_id,
    m.day,
    m.kind,
    m.confidence,
    a.published_at,
    m."start",
    m.article_region,
    a.source,
    m.review_status,
    m.name,
    concat_ws(' ', m.text, m.name, m.sentence, a.title, m.org, m.funder, m.recipient) AS search
FROM mentions_as_reviewed AS m
JOIN articles AS a USING (article_id)
