-- The headlines and standfirsts of published articles, stemmed as
-- article_search is, for search's first two ranking tiers.
--
-- In article_search a word common in bodies has a doclist of nearly every
-- article, so finding the few hundred whose headline has it meant reading
-- all of them (5 ms a tier at 100,000 articles), and putting them newest
-- first meant reading each one's date (1.5 µs a row). Here the doclists
-- are as short as the headlines, and the rowid is a key that sorts by
-- (published_at, id):
--     unixepoch(published_at) * 2^26 + id
-- (seconds clamped to ±2^36, about the years -200 to 4100), so the
-- index's own rowid order is newest first and a date range is a rowid
-- range. Ids of 2^26 and above are left out; the store then ranks from
-- article_search alone. Contentless: snippets come from article_search.
-- Triggers keep it, like search_words, so no write path can forget to.
CREATE VIRTUAL TABLE search_heads USING fts5 (
    headline, standfirst,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER search_heads_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.id < 67108864
BEGIN
    INSERT INTO search_heads (rowid, headline, standfirst) VALUES (
        max(min(COALESCE(unixepoch(NEW.published_at), 0), 68719476735), -68719476736) * 67108864 + NEW.id,
        NEW.headline, NEW.standfirst);
END;

CREATE TRIGGER search_heads_update AFTER UPDATE OF headline, standfirst, status, published_at ON articles
WHEN OLD.status = 'published' OR NEW.status = 'published'
BEGIN
    DELETE FROM search_heads
    WHERE rowid = max(min(COALESCE(unixepoch(OLD.published_at), 0), 68719476735), -68719476736) * 67108864 + OLD.id;
    INSERT INTO search_heads (rowid, headline, standfirst)
    SELECT max(min(COALESCE(unixepoch(NEW.published_at), 0), 68719476735), -68719476736) * 67108864 + NEW.id,
        NEW.headline, NEW.standfirst
    WHERE NEW.status = 'published' AND NEW.id < 67108864;
END;

CREATE TRIGGER search_heads_delete AFTER DELETE ON articles
WHEN OLD.status = 'published'
BEGIN
    DELETE FROM search_heads
    WHERE rowid = max(min(COALESCE(unixepoch(OLD.published_at), 0), 68719476735), -68719476736) * 67108864 + OLD.id;
END;

INSERT INTO search_heads (rowid, headline, standfirst)
SELECT max(min(COALESCE(unixepoch(published_at), 0), 68719476735), -68719476736) * 67108864 + id, headline, standfirst
FROM articles WHERE status = 'published' AND id < 67108864;
