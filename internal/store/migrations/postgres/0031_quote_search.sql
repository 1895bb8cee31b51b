-- The words of the quotations readers may see, for the quote search
-- (/people?q=): PostgreSQL twin of sqlite/0031_quote_search.sql. Matching
-- every quotation's text with LIKE read the whole of article_quotes on
-- each search. A GIN index over the words of quotes not dismissed; the
-- store's query repeats the expression and the condition to use it.
--
-- The 'simple' configuration, not article_search's 'english': people are
-- searched for what they said, and English drops its stop words from a
-- query, so "we have" would match nothing. The last word is matched as a
-- prefix, as in every search.
CREATE INDEX article_quotes_words ON article_quotes USING GIN (to_tsvector('simple', text))
    WHERE status <> 'dismissed';

-- A speaker's quotations newest story first, text order within a story,
-- read from the index alone (dismissed ones skipped by its status): the
-- quote search takes each matching speaker's newest this way. It replaces
-- 0007's index on (person_id, article_id), its first columns.
DROP INDEX article_quotes_person;
CREATE INDEX article_quotes_person ON article_quotes (person_id, article_id, position DESC, status);
