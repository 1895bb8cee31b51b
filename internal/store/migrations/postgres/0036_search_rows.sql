-- article_search's rows narrowed to what searches read from them: the id
-- and the heads (postgres/0035), which the walk and the ranking test for
-- every story they read, stay in the row (STORAGE MAIN); the text and the
-- document, larger than a pointer, are kept out of line (in the TOAST
-- table) once a row is over 128 bytes, toast_tuple_target's least. A
-- search without filters counts its matches exactly from the words'
-- index, which sends it to each match's row: with the body compressed in
-- the row there were about seven to a page, so the 11,921 stories with
-- "council budget" (of 200,000) were on 9,800 pages, and the table's
-- 27,000 pages did not stay in the buffer cache. Now about twenty rows
-- share a page (9,900 pages), the count reads 7,000, and the document is
-- fetched only where a row is tested on it, as before.
--
-- Narrow rows make reading the whole table look cheap to the planner,
-- which does not count fetching each row's document from the TOAST table
-- to test it (3.3 s to count "flood"): searches run with sequential scans
-- off (inIndexOrder).
--
-- A narrow table of ids and stripped words with a GIN index of its own
-- was tried first: PostgreSQL moves values out of line only from rows
-- over about 2 kB, whatever the target, so the words (~1.5 kB an
-- article) stayed in the row, five to a page. Moving the heads out too
-- (fifty rows a page) made the count cheaper still but every story the
-- walk reads fetch them (twice the buffers for "council budget").
ALTER TABLE article_search SET (toast_tuple_target = 128);
ALTER TABLE article_search ALTER COLUMN heads SET STORAGE MAIN;
-- Rewrite the rows already there, and their indexes, in the new layout.
CLUSTER article_search USING article_search_pkey;
ALTER TABLE article_search SET WITHOUT CLUSTER;
ANALYZE article_search;
