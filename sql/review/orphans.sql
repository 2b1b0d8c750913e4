-- Orphaned decisions: decisions on a mention the snapshot no longer has (the extractor changed),
-- newest first, with what the decision recorded about it. Kept, never dropped.
SELECT d.decision_id, d.mention_id, d.article_id, d.kind, d.status, d.field, d.old_value,
       d.new_value, d.reason, d.reviewer, d.reviewed_at, a.title
FROM live_decisions AS d
LEFT JOIN articles AS a USING (article_id)
WHERE d.mention_id NOT IN (SELECT mention_id FROM live_mentions)
ORDER BY d.decision_id DESC;
