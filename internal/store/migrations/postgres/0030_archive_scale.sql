-- SQLite's article_search became contentless (sqlite/0030): its copy of
-- the text was a duplicate of the articles'. PostgreSQL's keeps its text,
-- from which ts_headline makes snippets; its layout does not change.
SELECT 1;
