-- Member search by pseudonym without scanning: for every member, keyed
-- hashes (the first 128 bits of the association's search token, purpose
-- "@pseudonym") of the prefixes of the words of the pseudonym. A word of a
-- query is hashed the same way, so matching the beginning of a pseudonym's
-- word is one seek, and the database never sees the word. The primary key
-- is the one index: a token's holders in pseudonym order from any cursor
-- are a range of it, and whether one member holds a token is a point
-- look-up. No visibility: the pseudonym is shown to every member who may
-- find the member at all.
CREATE TABLE pseudonym_terms (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    token           TEXT NOT NULL,
    pseudonym_key   TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (association_id, token, pseudonym_key)
);
-- Whether a member's pseudonym terms are written. Members created from
-- now on have them from the start; older ones (FALSE here) are filled in
-- at start-up, found through the partial index, which is empty after that.
ALTER TABLE members ADD COLUMN pseudonym_indexed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX members_pseudonym_unindexed ON members (id) WHERE NOT pseudonym_indexed;
