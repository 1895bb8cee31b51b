-- PostgreSQL's article_search keeps its text out of line (postgres/0036),
-- so that counting a search's matches reads narrow rows. SQLite's FTS5
-- index is contentless (0030) and counts from its own doclists. Nothing to
-- do here; the number keeps both dialects at the same schema version,
-- which masthead copy requires.
SELECT 1;
