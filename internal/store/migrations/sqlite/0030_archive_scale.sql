-- article_search kept a copy of every article's text beside its index:
-- 4.4 KB a story, more than the index itself, for text the articles table
-- already holds (the body as body_html). It is now contentless: the index
-- alone, rows deleted by rowid (contentless_delete). Snippets are made
-- from the article's body_html when a search shows them (search.go), and
-- `masthead migrate` rebuilds the rows from the articles (sitecopy.go).
-- The pages the copy held are free for reuse; VACUUM gives them back to
-- the file system.
ALTER TABLE article_search RENAME TO article_search_full;
CREATE VIRTUAL TABLE article_search USING fts5 (
    headline, standfirst, body, byline, tags,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO article_search (rowid, headline, standfirst, body, byline, tags)
SELECT rowid, headline, standfirst, body, byline, tags FROM article_search_full;
DROP TABLE article_search_full;

-- A month's sitemap (ArticlesInMonth) needs each article's path and last
-- change; read from the rows, that meant reading past each body (a row
-- holds its body before them): 100 ms for a month of 1,000 stories. The
-- months index now carries the path, so the sitemap reads the index alone.
DROP INDEX articles_months;
CREATE INDEX articles_months ON articles (status, substr(published_at, 1, 7), modified_at, published_at, path);
