-- PostgreSQL announces change-log writes with NOTIFY so other instances'
-- caches refresh at once. SQLite instances share one process, where a
-- commit hook does the same; nothing to do here.
SELECT 1;
