-- PostgreSQL's article_search document loses its positions (postgres/0044);
-- SQLite's index is FTS5's own. Nothing to do here; the number keeps both
-- dialects at the same schema version.
SELECT 1;
