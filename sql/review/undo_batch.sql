-- The mentions a bulk decision still decides (their latest decision, per review_latest, is the
-- batch's), each with the verdict it had just before the batch: the latest accept, reject or
-- undo before it (an undo's verdict is its new_value), NULL when there was none. Read in the
-- transaction that records the undo (pipeline.warehouse.review_store.undo_batch).
SELECT
    d.mention_id,
    d.article_id,
    d.kind,
    d.status,
    (
        SELECT CASE WHEN p.status = 'undone' THEN p.new_value ELSE p.status END
        FROM decisions AS p
        WHERE p.mention_id = d.mention_id
          AND p.decision_id < d.decision_id
          AND p.status IN ('accepted', 'rejected', 'undone')
        ORDER BY p.decision_id DESC
        LIMIT 1
    ) AS verdict
FROM decisions AS d
JOIN review_latest AS l ON l.mention_id = d.mention_id AND l.last_decision_id = d.decision_id
WHERE d.batch_id = :batch_id AND d.status = 'accepted'
ORDER BY d.decision_id;
