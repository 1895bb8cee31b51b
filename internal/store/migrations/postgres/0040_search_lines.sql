-- SQLite's search_lines (sqlite/0040) puts the byline-and-tags tier of a
-- search in date order; PostgreSQL's article_search ranks that tier from
-- its own tsvector (0035). Nothing to do here; the number keeps both
-- dialects at the same schema version, which masthead copy requires.
SELECT 1;
