-- PostgreSQL's article_search gained a tsvector of the headline,
-- standfirst, byline and tags (postgres/0035), the parts SQLite's
-- search_heads (0010) and FTS5's column filters already rank by. Nothing
-- to do here; the number keeps both dialects at the same schema version,
-- which masthead copy requires.
SELECT 1;
