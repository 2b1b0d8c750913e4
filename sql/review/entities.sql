-- Canonical entities of one kind of mention, most mentioned first: targets of an alias merge.
SELECT entity_id, name, mentions
FROM entities
WHERE kind = CASE $kind
    WHEN 'official' THEN 'person' WHEN 'quote' THEN 'person' WHEN 'location' THEN 'place'
    WHEN 'funding' THEN 'funder' ELSE $kind END
ORDER BY mentions DESC, name
LIMIT 500;
