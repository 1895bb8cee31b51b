-- quote_search: the words of the quotations readers may see, for the
-- quote search (/people?q=). Matching every quotation's text with LIKE read
-- the whole of article_quotes on each search (0.1–0.4 s at 5,000 stories,
-- seconds at a million). Stemmed as article_search is; contentless, rows
-- deleted by rowid (contentless_delete): the text is article_quotes'.
--
-- The rowid is the quote's key, not its id:
--     article_id * 2^16 + (2^16 - 1 - position)
-- so the index's own rowid order, descending, is newest article first (by
-- id, the order stories are written) and text order within an article:
-- a page of a common word's matches is read straight from the index. The
-- key also names the row (article_quotes is UNIQUE (article_id, position),
-- and a row's article and position never change). Quotes at position 2^16
-- and beyond are left out. Dismissed quotes are not indexed at all;
-- quotes of unpublished articles are, and the store leaves them out
-- (they are few), so publishing a story need not touch this table.
-- Triggers keep it, so no write path can forget to; `masthead migrate`
-- copies article_quotes and the triggers fill it on the target.
CREATE VIRTUAL TABLE quote_search USING fts5 (
    text,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER quote_search_insert AFTER INSERT ON article_quotes
WHEN NEW.status <> 'dismissed' AND NEW.position < 65536
BEGIN
    INSERT INTO quote_search (rowid, text) VALUES (NEW.article_id * 65536 + 65535 - NEW.position, NEW.text);
END;

-- Saving an article rewrites every column of a changed quote row; only a
-- change of words or of being dismissed touches the index.
CREATE TRIGGER quote_search_update AFTER UPDATE OF text, status, article_id, position ON article_quotes
WHEN OLD.text IS NOT NEW.text OR (OLD.status = 'dismissed') IS NOT (NEW.status = 'dismissed')
    OR OLD.article_id IS NOT NEW.article_id OR OLD.position IS NOT NEW.position
BEGIN
    DELETE FROM quote_search WHERE rowid = OLD.article_id * 65536 + 65535 - OLD.position
        AND OLD.status <> 'dismissed' AND OLD.position < 65536;
    INSERT INTO quote_search (rowid, text) SELECT NEW.article_id * 65536 + 65535 - NEW.position, NEW.text
    WHERE NEW.status <> 'dismissed' AND NEW.position < 65536;
END;

CREATE TRIGGER quote_search_delete AFTER DELETE ON article_quotes
WHEN OLD.status <> 'dismissed' AND OLD.position < 65536
BEGIN
    DELETE FROM quote_search WHERE rowid = OLD.article_id * 65536 + 65535 - OLD.position;
END;

INSERT INTO quote_search (rowid, text)
SELECT article_id * 65536 + 65535 - position, text FROM article_quotes
WHERE status <> 'dismissed' AND position < 65536;

-- A speaker's quotations newest story first, text order within a story,
-- read from the index alone (dismissed ones skipped by its status): the
-- quote search takes each matching speaker's newest this way. It replaces
-- 0007's index on (person_id, article_id), its first columns.
DROP INDEX article_quotes_person;
CREATE INDEX article_quotes_person ON article_quotes (person_id, article_id, position DESC, status);
