-- Live blogs: an article made live gains entries, short timestamped
-- updates shown newest first. live_blogs says which articles are live and
-- when their coverage started and ended (closed_at: an ordinary article
-- again, with its entries). An entry is never deleted: deleted_at hides it
-- from readers, and live_entry_revisions keeps every version for editors.
--
-- seq orders everything readers are pushed (a new, edited or deleted
-- entry; a closed blog): each such write takes the next number from
-- live_seq in its transaction, so a stream resumes after the last number
-- it saw (Last-Event-ID) and misses nothing. The counter's row lock makes
-- the numbers visible in order on PostgreSQL too.

CREATE TABLE live_seq (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);

CREATE TABLE live_blogs (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    closed_at  TEXT,
    seq        INTEGER NOT NULL
);
CREATE INDEX live_blogs_seq ON live_blogs (seq);

CREATE TABLE live_entries (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES live_blogs (article_id) ON DELETE CASCADE,
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    headline   TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    key_event  BOOLEAN NOT NULL DEFAULT FALSE,
    pinned     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    seq        INTEGER NOT NULL
);
CREATE INDEX live_entries_article ON live_entries (article_id, id);
CREATE INDEX live_entries_seq ON live_entries (seq);

CREATE TABLE live_entry_revisions (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES live_entries (id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action     TEXT NOT NULL, -- post, edit, delete
    headline   TEXT NOT NULL,
    body       TEXT NOT NULL,
    key_event  BOOLEAN NOT NULL,
    pinned     BOOLEAN NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX live_entry_revisions_entry ON live_entry_revisions (entry_id, id);

-- Entries and the blog's state show on their article's page.
CREATE TRIGGER changes_live_entry_insert AFTER INSERT ON live_entries
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id AND path IS NOT NULL AND status = 'published';
END;

CREATE TRIGGER changes_live_entry_update AFTER UPDATE ON live_entries
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id AND path IS NOT NULL AND status = 'published';
END;

CREATE TRIGGER changes_live_blog_insert AFTER INSERT ON live_blogs
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id AND path IS NOT NULL AND status = 'published';
END;

CREATE TRIGGER changes_live_blog_update AFTER UPDATE ON live_blogs
BEGIN
    INSERT INTO changes (kind, ref) SELECT 'article', path FROM articles WHERE id = NEW.article_id AND path IS NOT NULL AND status = 'published';
END;
