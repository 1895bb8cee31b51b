-- SQLite only (sqlite/0039: the month's latest change sought by index); the
-- PostgreSQL trigger compares with the expression already.
SELECT 1;
