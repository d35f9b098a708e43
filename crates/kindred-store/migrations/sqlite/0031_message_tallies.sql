-- Messages sent per association and day, for the statistics
-- (service::statistics). Counted when a message is added, in the same
-- transaction, so that erasure and disappearing messages do not change what
-- was sent; it says how many, never who wrote to whom. `day` is midnight UTC.
CREATE TABLE message_tallies (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    day             TEXT NOT NULL,
    sent            BIGINT NOT NULL,
    PRIMARY KEY (association_id, day)
);
