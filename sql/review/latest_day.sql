-- The latest day the snapshot has articles for (the digest's default day).
SELECT max(partition_date) FROM articles;
