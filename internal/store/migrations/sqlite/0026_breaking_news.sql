-- The site-wide breaking-news banner, and live entries written by more
-- than one person.
--
-- breaking_news holds at most one row: the banner as an editor last set
-- it (text '' once cleared). Readers see it until expires_at on every
-- page, so a change empties the whole page cache ('all'); open pages are
-- pushed it through the live blogs' streams, so a change takes the next
-- number of live_seq (0023) like an entry does. Its expiry writes nothing:
-- the reader site forgets pages rendered with it when it expires.
--
-- live_entry_authors names an entry's authors in order; live_entries'
-- author_id stays who posted it.

CREATE TABLE breaking_news (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    text       TEXT NOT NULL,
    article_id INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    expires_at TEXT NOT NULL,
    set_at     TEXT NOT NULL,
    set_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    seq        INTEGER NOT NULL
);

CREATE TRIGGER changes_breaking_news_insert AFTER INSERT ON breaking_news
BEGIN
    INSERT INTO changes (kind, ref) VALUES ('all', '');
END;

CREATE TRIGGER changes_breaking_news_update AFTER UPDATE ON breaking_news
BEGIN
    INSERT INTO changes (kind, ref) VALUES ('all', '');
END;

CREATE TABLE live_entry_authors (
    entry_id INTEGER NOT NULL REFERENCES live_entries (id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (entry_id, user_id)
);
CREATE INDEX live_entry_authors_user ON live_entry_authors (user_id);

INSERT INTO live_entry_authors (entry_id, user_id, position)
    SELECT id, author_id, 0 FROM live_entries WHERE author_id IS NOT NULL;

CREATE TRIGGER changes_live_entry_authors_insert AFTER INSERT ON live_entry_authors
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', a.path FROM live_entries e JOIN articles a ON a.id = e.article_id
        WHERE e.id = NEW.entry_id AND a.path IS NOT NULL AND a.status = 'published';
END;

CREATE TRIGGER changes_live_entry_authors_delete AFTER DELETE ON live_entry_authors
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', a.path FROM live_entries e JOIN articles a ON a.id = e.article_id
        WHERE e.id = OLD.entry_id AND a.path IS NOT NULL AND a.status = 'published';
END;
