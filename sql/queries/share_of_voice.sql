-- Who speaks for a cluster or a région (every cluster when both are empty): each official's
-- share of the articles that name officials.
-- param: cluster =
-- param: region =
-- param: limit = 20
SELECT cluster AS scope, official, role, org, articles, share
FROM official_share_of_voice
WHERE ($cluster = '' AND $region = '') OR cluster_id = $cluster OR cluster ILIKE $cluster
UNION ALL
SELECT region, official, role, org, articles, share
FROM official_share_by_region
WHERE $region <> '' AND region = $region
ORDER BY scope, share DESC, official
LIMIT CAST($limit AS INTEGER);
