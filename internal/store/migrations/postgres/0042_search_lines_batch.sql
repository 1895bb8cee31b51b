-- SQLite's search_lines triggers (sqlite/0042) leave a batch's rows to
-- store.InsertBatch; PostgreSQL has no search_lines. Nothing to do here;
-- the number keeps both dialects at the same schema version.
SELECT 1;
