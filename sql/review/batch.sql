-- One bulk decision of the review store: who made it, how many mentions it accepted, how many it
-- still decides (their latest decision is the batch's, per review_latest) and how many were given
-- back by an undo. A row of NULL and zeros when there is no such batch.
SELECT
    max(d.reviewer) FILTER (WHERE d.status = 'accepted') AS reviewer,
    count(*) FILTER (WHERE d.status = 'accepted') AS decided,
    count(*) FILTER (WHERE d.status = 'accepted' AND l.last_decision_id = d.decision_id) AS current,
    count(*) FILTER (WHERE d.status = 'undone') AS undone
FROM decisions AS d
LEFT JOIN review_latest AS l ON l.mention_id = d.mention_id
WHERE d.batch_id = :batch_id;
