-- PostgreSQL gets the listing counts SQLite has had since 0030.
SELECT 1;
