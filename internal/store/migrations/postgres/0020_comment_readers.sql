-- The reader account a comment belongs to.
-- PostgreSQL twin of sqlite/0020_comment_readers.sql (see there).

ALTER TABLE comments ADD COLUMN reader_id BIGINT REFERENCES readers (id) ON DELETE SET NULL DEFERRABLE;
CREATE INDEX comments_reader ON comments (reader_id);
