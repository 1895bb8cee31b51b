-- SQLite keeps published headlines and standfirsts in a second, date-keyed
-- full-text index for search's first ranking tiers. PostgreSQL's weighted
-- tsvector and GIN index already rank by part of the document; nothing to
-- do here.
SELECT 1;
