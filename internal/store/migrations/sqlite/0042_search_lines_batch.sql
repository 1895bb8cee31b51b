-- store.InsertBatch writes each article's search_lines row (0040) once,
-- itself, after the batch's articles, bylines and tags: the insert
-- triggers wrote it once for the article, then deleted and wrote it again
-- for each of its bylines and tags, and a contentless index writes out
-- what it holds in memory before each delete (a fifth of a WordPress
-- import's writing). While deferred_search_lines has a row — only inside
-- InsertBatch's own savepoint — the three insert triggers leave it to
-- the batch; every other write keeps them as before.
CREATE TABLE deferred_search_lines (
    held INTEGER PRIMARY KEY CHECK (held = 1)
);

DROP TRIGGER search_lines_insert;
DROP TRIGGER search_lines_author_insert;
DROP TRIGGER search_lines_tag_insert;

CREATE TRIGGER search_lines_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.id < 67108864
    AND NOT EXISTS (SELECT 1 FROM deferred_search_lines)
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
WHEN NOT EXISTS (SELECT 1 FROM deferred_search_lines)
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
WHEN NOT EXISTS (SELECT 1 FROM deferred_search_lines)
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
