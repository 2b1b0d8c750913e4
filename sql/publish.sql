-- Copy the analyst tables of the working database (attached as `work`) into the new snapshot.
CREATE TABLE articles AS SELECT * FROM work.articles ORDER BY partition_date, article_id;
CREATE TABLE mentions AS SELECT * FROM work.mentions ORDER BY partition_date, article_id, "start";
CREATE TABLE fetch_log AS SELECT * FROM work.fetch_log ORDER BY partition_date, source, url;
CREATE TABLE reviews AS SELECT * FROM work.reviews;
