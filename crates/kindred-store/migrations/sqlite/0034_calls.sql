-- Calls in a conversation (service::calls). Media never passes Kindred:
-- these rows only say who rang and who is in the call, for ringing, for
-- relaying set-up messages between two members who are both in it, and for
-- the member's export. `started_by` is NULL once that account is erased.
-- `ended_at`: set when the last member leaves (a call open longer than
-- LONGEST_CALL_HOURS counts as over without it).
CREATE TABLE calls (
    association_id  TEXT NOT NULL,
    id              TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    started_by      TEXT,
    video           BOOLEAN NOT NULL,
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    PRIMARY KEY (association_id, id),
    FOREIGN KEY (association_id, conversation_id) REFERENCES conversations (association_id, id) ON DELETE CASCADE
);
-- At most one open call per conversation: a second start joins it.
CREATE UNIQUE INDEX calls_open ON calls (association_id, conversation_id) WHERE ended_at IS NULL;
CREATE INDEX calls_by_conversation ON calls (association_id, conversation_id, started_at);

-- Who is or was in a call: `left_at` NULL while in it. Joining again
-- after leaving clears it.
CREATE TABLE call_members (
    association_id  TEXT NOT NULL,
    call_id         TEXT NOT NULL,
    member_id       TEXT NOT NULL,
    joined_at       TEXT NOT NULL,
    left_at         TEXT,
    PRIMARY KEY (association_id, call_id, member_id),
    FOREIGN KEY (association_id, call_id) REFERENCES calls (association_id, id) ON DELETE CASCADE
);
CREATE INDEX call_members_by_member ON call_members (association_id, member_id);

-- Set-up messages (an offer, an answer, a network candidate) on their way
-- from one member in a call to another, sealed under the conversation's
-- key (they hold network addresses); read once by the recipient's node,
-- removed after SIGNAL_SECONDS by the cleanup job.
CREATE TABLE call_signals (
    association_id  TEXT NOT NULL,
    id              TEXT NOT NULL,
    call_id         TEXT NOT NULL,
    from_member     TEXT NOT NULL,
    to_member       TEXT NOT NULL,
    sealed_payload  BLOB NOT NULL,
    sent_at         TEXT NOT NULL,
    PRIMARY KEY (association_id, id),
    FOREIGN KEY (association_id, call_id) REFERENCES calls (association_id, id) ON DELETE CASCADE
);
CREATE INDEX call_signals_by_time ON call_signals (sent_at);
