-- The headlines, standfirsts, bylines and tags of published articles,
-- for search's third ranking tier (byline and tags), keyed as search_heads
-- is (0010): by (published_at, id), so the index's rowid order is newest
-- first. In article_search that tier is keyed by id, and two words
-- common in tags but seldom together ("school budget": 3,200 matches at a
-- million stories) had every match read to be put in date order, the
-- whole of both words' lists; here the first page is the first rows.
-- Contentless; the byline and tags are written as article_search's are
-- (authors by position, tags by name). Triggers keep it, on the article
-- and on its authors and tags, so no write path can forget to; a renamed
-- author is not one, as article_search keeps the old byline too until
-- the article is next saved, and the two must agree for the tiers to
-- stay disjoint.
CREATE VIRTUAL TABLE search_lines USING fts5 (
    headline, standfirst, byline, tags,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_lines_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.id < 67108864
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

CREATE TRIGGER search_lines_update AFTER UPDATE OF headline, standfirst, status, published_at ON articles
WHEN (OLD.status = 'published' OR NEW.status = 'published') AND NEW.id < 67108864
BEGIN
    DELETE FROM search_lines WHERE OLD.status = 'published' AND rowid = max(min(COALESCE(unixepoch(OLD.published_at), 0), 68719476735), -68719476736) * 67108864 + OLD.id;
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = NEW.id AND a.status = 'published' AND a.id < 67108864;
END;

CREATE TRIGGER search_lines_delete AFTER DELETE ON articles
WHEN OLD.status = 'published' AND OLD.id < 67108864
BEGIN
    DELETE FROM search_lines WHERE rowid = max(min(COALESCE(unixepoch(OLD.published_at), 0), 68719476735), -68719476736) * 67108864 + OLD.id;
END;

CREATE TRIGGER search_lines_author_insert AFTER INSERT ON article_authors
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

CREATE TRIGGER search_lines_author_update AFTER UPDATE OF article_id, user_id, position ON article_authors
BEGIN
    DELETE FROM search_lines WHERE rowid = (SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id FROM articles a
        WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864);
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864;
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

CREATE TRIGGER search_lines_author_delete AFTER DELETE ON article_authors
BEGIN
    DELETE FROM search_lines WHERE rowid = (SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id FROM articles a
        WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864);
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864;
END;

CREATE TRIGGER search_lines_tag_insert AFTER INSERT ON article_tags
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

CREATE TRIGGER search_lines_tag_update AFTER UPDATE OF article_id, tag_id ON article_tags
BEGIN
    DELETE FROM search_lines WHERE rowid = (SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id FROM articles a
        WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864);
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864;
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

CREATE TRIGGER search_lines_tag_delete AFTER DELETE ON article_tags
BEGIN
    DELETE FROM search_lines WHERE rowid = (SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id FROM articles a
        WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864);
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM articles a WHERE a.id = OLD.article_id AND a.status = 'published' AND a.id < 67108864;
END;

-- A renamed tag: article_search is rewritten for it too (reindexTags).
CREATE TRIGGER search_lines_tag_rename AFTER UPDATE OF name ON tags
BEGIN
    DELETE FROM search_lines WHERE rowid IN (SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id FROM article_tags x JOIN articles a ON a.id = x.article_id
        WHERE x.tag_id = NEW.id AND a.status = 'published' AND a.id < 67108864);
    INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
    SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
    FROM article_tags y JOIN articles a ON a.id = y.article_id
    WHERE y.tag_id = NEW.id AND a.status = 'published' AND a.id < 67108864;
END;

INSERT INTO search_lines (rowid, headline, standfirst, byline, tags)
SELECT max(min(COALESCE(unixepoch(a.published_at), 0), 68719476735), -68719476736) * 67108864 + a.id,
        a.headline, a.standfirst,
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT u.name FROM article_authors x JOIN users u ON u.id = x.user_id
            WHERE x.article_id = a.id ORDER BY x.position)), ''),
        COALESCE((SELECT group_concat(name, ', ') FROM (SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
            WHERE x.article_id = a.id ORDER BY t.name)), '')
FROM articles a WHERE a.status = 'published' AND a.id < 67108864;
