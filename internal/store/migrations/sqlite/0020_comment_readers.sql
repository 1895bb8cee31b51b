-- The reader account a comment belongs to: set when a signed-in reader
-- posts, and for the address's earlier comments when its account is
-- created. Deleting the account anonymises or deletes them first.

ALTER TABLE comments ADD COLUMN reader_id INTEGER REFERENCES readers (id) ON DELETE SET NULL;
CREATE INDEX comments_reader ON comments (reader_id);
