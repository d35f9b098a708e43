-- Live delivery (service::live). One row per recipient and event: ids
-- only (what happened, in which conversation, to which message or
-- notification), never text. The id grows with every event, so a client
-- that reconnects asks for what came after the last id it saw. Rows are
-- short-lived: housekeeping deletes them once `expires_at` has passed.
CREATE TABLE live_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    association_id   TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id        TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL,
    conversation_id  TEXT,
    subject_id       TEXT,
    created_at       TEXT      NOT NULL,
    expires_at       TEXT      NOT NULL
);
CREATE INDEX live_events_member ON live_events (association_id, member_id, id);
CREATE INDEX live_events_expiry ON live_events (association_id, expires_at);

-- Single-use tickets for opening the socket where a client cannot set a
-- header: stored as SHA-256, bound to the session that asked for one,
-- spent by one atomic UPDATE.
CREATE TABLE live_tickets (
    association_id   TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    ticket_hash      TEXT NOT NULL,
    session_hash     TEXT NOT NULL,
    member_id        TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    expires_at       TEXT      NOT NULL,
    used_at          TEXT     ,
    PRIMARY KEY (association_id, ticket_hash)
);
CREATE INDEX live_tickets_expiry ON live_tickets (association_id, expires_at);
