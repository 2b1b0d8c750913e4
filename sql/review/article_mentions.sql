-- Every live mention of one article (rejected ones included), in reading order.
SELECT mention_id, kind, text, "start", "end", name, role, org, amount_eur, funder, recipient,
       instrument, entity_id, speaker, quote, confidence, rule, review_status
FROM live_mentions
WHERE article_id = $article_id
ORDER BY "start", "end" DESC;
