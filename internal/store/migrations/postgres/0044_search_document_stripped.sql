-- article_search keeps no copy of the bodies, and its document no
-- positions. At 100,000 stories the copy of each body as plain text was
-- 1.6 kB a story (compressed, out of line) and the document 2.7 kB, of
-- which 1.2 were positions and weights; the database was 11.6 kB a story.
--
-- The body was kept only to compute the document from: snippets come
-- from the articles' body_html (snippet.go), and a row is replaced whole
-- (indexArticle, reindexRow), never updated. The document is now set by a
-- trigger from the row as written, which then empties the body.
--
-- Positions and weights: only the body tier and the newsroom's "every
-- word" test match the document, with neither weights nor phrases, and
-- search_lexemes reads its words; the tiers that weigh words, and the
-- newsroom's "headline first" order, read the heads (0035), which keep
-- theirs. The words, and so every match and the GIN index's keys, are
-- those of before.
--
-- The new document is the old one stripped: the same words, from the same
-- columns, by the same configuration. So one rewrite strips it and empties
-- the bodies, and rebuilds every index once. As first written, this
-- migration computed every document again from its body, then rewrote the
-- table a second time: 16 minutes at a million stories where this takes
-- under 3 (104 s and 14 s at 100,000).
DROP TRIGGER search_lexemes_update ON article_search;
ALTER TABLE article_search ALTER COLUMN document DROP EXPRESSION;
ALTER TABLE article_search
    ALTER COLUMN document TYPE TSVECTOR USING strip(document),
    ALTER COLUMN document SET NOT NULL,
    ALTER COLUMN body TYPE TEXT USING '';

CREATE FUNCTION article_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'article_search rows are replaced, not updated: the body is not kept';
    END IF;
    NEW.document := strip(
        to_tsvector('english', NEW.headline) ||
        to_tsvector('english', NEW.standfirst) ||
        to_tsvector('english', NEW.byline) ||
        to_tsvector('english', NEW.tags) ||
        to_tsvector('english', NEW.body));
    NEW.body := '';
    RETURN NEW;
END $$;
-- masthead copy leaves this one on (suspendUpkeep).
CREATE TRIGGER article_search_document BEFORE INSERT OR UPDATE ON article_search
    FOR EACH ROW EXECUTE FUNCTION article_search_document();
CREATE TRIGGER search_lexemes_update AFTER UPDATE ON article_search
    FOR EACH ROW WHEN (OLD.document IS DISTINCT FROM NEW.document) EXECUTE FUNCTION search_lexemes_add();

ANALYZE article_search;
