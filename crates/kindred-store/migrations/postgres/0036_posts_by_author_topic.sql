-- A reply asks whether its author wrote in the topic before (the first
-- post subscribes them; store::forum::add_post). With the author's index
-- ending at author_id, SQLite walked the topic's every post inside the
-- write transaction (2.5 ms for a topic of 800, growing with it); with the
-- topic as its third column the answer is one index probe. Queries by
-- author alone use the same index by its first two columns.
DROP INDEX posts_by_author;
CREATE INDEX posts_by_author ON posts (association_id, author_id, topic_id);
