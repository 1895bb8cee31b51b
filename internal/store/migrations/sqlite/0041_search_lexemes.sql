-- PostgreSQL only (postgres/0041: the documents' words, to expand a
-- search's last word, a prefix, into them). SQLite's FTS5 reads a prefix
-- from its own index. The number keeps both dialects at the same schema
-- version, which masthead copy requires.
SELECT 1;
