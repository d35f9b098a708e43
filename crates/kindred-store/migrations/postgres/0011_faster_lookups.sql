-- SQLite's 0011 gives each full-text entry its post's rowid; PostgreSQL's
-- post_search already finds an entry by its primary key (association_id,
-- post_id): nothing to change there.

-- A member search's holders of a criterion come with their sort key from
-- the index alone: the page is picked before any member row is read.
DROP INDEX IF EXISTS members_by_id_findable;
CREATE INDEX members_by_id_findable ON members (id, association_id, status, discoverable, pseudonym_key);

-- Pseudonym keys sort byte by byte on every server, as on SQLite (BINARY):
-- search pages are cut by these keys in SQL and in Rust alike, and a
-- database created with a language collation would order them otherwise.
ALTER TABLE members ALTER COLUMN pseudonym_key TYPE TEXT COLLATE "C";
ALTER TABLE pseudonym_terms ALTER COLUMN pseudonym_key TYPE TEXT COLLATE "C";
