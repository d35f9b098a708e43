-- A post's full-text entry takes the post's rowid, so that editing or
-- deleting a post replaces its entry by one rowid lookup: FTS5 cannot
-- index post_id, and `WHERE post_id = …` read every entry of the forum.
-- Entries written before this migration had rowids of their own: rebuild.
DELETE FROM post_search;
INSERT INTO post_search (rowid, association_id, post_id, title, body)
SELECT p.rowid, p.association_id, p.id, CASE WHEN p.number = 1 THEN t.title ELSE '' END, p.text
FROM posts p
JOIN topics t ON t.association_id = p.association_id AND t.id = p.topic_id
WHERE NOT p.deleted;

-- A member search's holders of a criterion come with their sort key from
-- the index alone: the page is picked before any member row is read.
DROP INDEX IF EXISTS members_by_id_findable;
CREATE INDEX members_by_id_findable ON members (id, association_id, status, discoverable, pseudonym_key);

-- Throttling counters move to their own file (kindred-counters.db, made
-- by the server at connect): written with nearly every request, in this
-- file they made every reader drop its page cache. The counts are
-- expendable; the windows start again.
DROP TABLE IF EXISTS attempts;
