-- Precision of the extraction as reviewers judged it, per kind and per kind and rule: a mention
-- counts as right when its latest verdict is accepted, or it was only corrected (the mention was
-- real, a field was wrong); wrong when its latest verdict is rejected. An undone bulk decision
-- gives back the verdict the mention had before it (none: '' in new_value's place).
WITH verdicts AS (
    SELECT
        mention_id,
        nullif(arg_max(CASE WHEN status = 'undone' THEN coalesce(new_value, '') ELSE status END,
                       decision_id) FILTER (WHERE status IN ('accepted', 'rejected', 'undone')),
               '') AS verdict,
        bool_or(status = 'corrected') AS corrected
    FROM live_decisions
    GROUP BY mention_id
),
judged AS (
    SELECT m.kind, m.rule, coalesce(v.verdict, 'accepted') AS verdict, v.corrected
    FROM mentions AS m
    JOIN verdicts AS v USING (mention_id)
    WHERE v.verdict IS NOT NULL OR v.corrected
)
SELECT
    kind,
    CASE WHEN grouping(rule) = 0 THEN coalesce(rule, '(no rule)') END AS rule,
    count(*) FILTER (WHERE verdict = 'accepted') AS accepted,
    count(*) FILTER (WHERE verdict = 'accepted' AND corrected) AS corrected,
    count(*) FILTER (WHERE verdict = 'rejected') AS rejected
FROM judged
GROUP BY GROUPING SETS ((kind), (kind, rule))
ORDER BY kind, grouping(rule) DESC, rule;
