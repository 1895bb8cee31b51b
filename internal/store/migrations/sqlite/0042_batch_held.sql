-- store.InsertBatch writes what some insert triggers would for its
-- articles, bylines and tags itself, once a batch, after its rows:
--
-- search_lines (0040): the triggers wrote a new article's row once for
-- the article, then deleted it and wrote it again for each of its bylines
-- and tags, and a contentless index writes out what it holds in memory
-- before each delete (a fifth of a WordPress import's writing). The
-- batch writes each row once.
--
-- listing_counts, archive_months and listing_months (0030, 0034): an
-- upsert a row for each count; the batch adds its counts up and upserts
-- each once.
--
-- While batch_held has its one row — only inside InsertBatch's own
-- savepoint — these insert triggers leave the batch's rows to it; every
-- other write keeps them as before.
CREATE TABLE batch_held (
    held INTEGER PRIMARY KEY CHECK (held = 1)
);

DROP TRIGGER search_lines_insert;
DROP TRIGGER search_lines_author_insert;
DROP TRIGGER search_lines_tag_insert;
DROP TRIGGER counts_article_insert;
DROP TRIGGER counts_tag_insert;
DROP TRIGGER counts_byline_insert;
DROP TRIGGER counts_months_article_insert;
DROP TRIGGER counts_months_tag_insert;
DROP TRIGGER counts_months_byline_insert;

CREATE TRIGGER search_lines_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.id < 67108864
    AND NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = NEW.id AND a.status = 'published' AND a.id < 67108864;
END;

CREATE TRIGGER search_lines_author_insert AFTER INSERT ON article_authors
WHEN NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    DELETE FROM search_lines WHERE rowid = (SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id FROM articles a
        WHERE a.id = NEW.article_id AND a.status = 'published' AND a.id < 67108864);
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = NEW.article_id AND a.status = 'published' AND a.id < 67108864;
END;

CREATE TRIGGER search_lines_tag_insert AFTER INSERT ON article_tags
WHEN NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    DELETE FROM search_lines WHERE rowid = (SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id FROM articles a
        WHERE a.id = NEW.article_id AND a.status = 'published' AND a.id < 67108864);
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = NEW.article_id AND a.status = 'published' AND a.id < 67108864;
END;

CREATE TRIGGER counts_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.section_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('section', NEW.section_id, 1)
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_tag_insert AFTER INSERT ON article_tags
WHEN NEW.listed_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('tag', NEW.tag_id, 1)
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_byline_insert AFTER INSERT ON article_authors
WHEN NEW.listed_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    INSERT INTO listing_counts (kind, ref, n) VALUES ('author', NEW.user_id, 1)
    ON CONFLICT (kind, ref) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_article_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.published_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    INSERT INTO archive_months (month, n, last_modified) VALUES (substr(NEW.published_at, 1, 7), 1, NEW.modified_at)
    ON CONFLICT (month) DO UPDATE SET n = n + 1, last_modified = max(last_modified, excluded.last_modified);
    INSERT INTO listing_months (kind, ref, month, n) SELECT 'section', NEW.section_id, substr(NEW.published_at, 1, 7), 1
    WHERE NEW.section_id IS NOT NULL
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_tag_insert AFTER INSERT ON article_tags
WHEN NEW.listed_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    INSERT INTO listing_months (kind, ref, month, n) VALUES ('tag', NEW.tag_id, substr(NEW.listed_at, 1, 7), 1)
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER counts_months_byline_insert AFTER INSERT ON article_authors
WHEN NEW.listed_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM batch_held)
BEGIN
    INSERT INTO listing_months (kind, ref, month, n) VALUES ('author', NEW.user_id, substr(NEW.listed_at, 1, 7), 1)
    ON CONFLICT (kind, ref, month) DO UPDATE SET n = n + 1;
END;
