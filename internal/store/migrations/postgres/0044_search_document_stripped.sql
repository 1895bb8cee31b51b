-- article_search's document without positions or weights (strip): only
-- the body tier and the newsroom's "every word" search test it, with no
-- weights and no phrases, and search_lexemes reads its words; the tiers
-- that weigh words read the heads (0035), and so now does the newsroom's
-- "headline first" order. The positions were 1.2 of the document's 2.7
-- kB a story (at 100,000 stories, 11.6 kB a story in all). The words, and
-- so every match and the GIN index's keys, are those of before.
DROP TRIGGER search_lexemes_update ON article_search;
ALTER TABLE article_search DROP COLUMN document;
ALTER TABLE article_search ADD COLUMN document TSVECTOR GENERATED ALWAYS AS (strip(
    to_tsvector('english', headline) ||
    to_tsvector('english', standfirst) ||
    to_tsvector('english', byline) ||
    to_tsvector('english', tags) ||
    to_tsvector('english', body)
)) STORED;
CREATE INDEX article_search_document ON article_search USING GIN (document);
CREATE TRIGGER search_lexemes_update AFTER UPDATE ON article_search
    FOR EACH ROW WHEN (OLD.document IS DISTINCT FROM NEW.document) EXECUTE FUNCTION search_lexemes_add();
ANALYZE article_search;
