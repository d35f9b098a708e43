-- Messaging (service::messaging): conversations, their members, sealed
-- messages and attachments, and the key of each conversation.

-- A conversation. `group_id` is set for a group's own chat (one per group;
-- its members are the group's current members, checked on every access).
-- `state`: active, or request (a first message that waits for its one
-- recipient to accept). `last_seq` numbers the messages in order (the
-- clock may give two messages the same time). `disappear_seconds`: later
-- messages are erased that long after they were sent (NULL: off).
CREATE TABLE conversations (
    association_id    TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    group_id          TEXT,
    state             TEXT NOT NULL CHECK (state IN ('active', 'request')),
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    last_message_at   TEXT NOT NULL,
    last_seq          INTEGER NOT NULL DEFAULT 0,
    disappear_seconds INTEGER,
    PRIMARY KEY (association_id, id)
);
CREATE UNIQUE INDEX conversations_of_group ON conversations (association_id, group_id) WHERE group_id IS NOT NULL;

-- The conversation's 256-bit key, sealed under the association key
-- (service::crypto, field "conversation-key"). Deleting the row makes
-- every message and attachment of the conversation unreadable for good.
CREATE TABLE conversation_keys (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    sealed_key      BLOB NOT NULL,
    PRIMARY KEY (association_id, conversation_id),
    FOREIGN KEY (association_id, conversation_id) REFERENCES conversations (association_id, id) ON DELETE CASCADE
);

-- Who is in a conversation. `status`: active; request (the recipient of a
-- request, not yet answered); declined (the recipient declined: the
-- conversation is gone for them, and the sender still sees a request);
-- left. `read_seq`: read up to this message number. `mailed`: a "new
-- message" mail went out since the member last read (at most one).
CREATE TABLE conversation_members (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('active', 'request', 'declined', 'left')),
    joined_at       TEXT NOT NULL,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    mailed          BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (association_id, conversation_id, member_id),
    FOREIGN KEY (association_id, conversation_id) REFERENCES conversations (association_id, id) ON DELETE CASCADE
);
CREATE INDEX conversation_members_by_member ON conversation_members (association_id, member_id, status);

-- A message. `kind`: text, system (e.g. the disappearing time changed;
-- the body is a fixed code), deleted (a tombstone: body and attachments
-- erased). The body is sealed under the conversation key, bound to
-- association, conversation and message. `erase_at`: when it disappears.
CREATE TABLE messages (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    sender_id       TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('text', 'system', 'deleted')),
    sealed_body     BLOB,
    sent_at         TEXT NOT NULL,
    edited_at       TEXT,
    erase_at        TEXT,
    PRIMARY KEY (association_id, id),
    FOREIGN KEY (association_id, conversation_id) REFERENCES conversations (association_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX messages_in_order ON messages (association_id, conversation_id, seq);
CREATE INDEX messages_to_erase ON messages (erase_at) WHERE erase_at IS NOT NULL;

-- A file uploaded to a conversation, sealed like a message; `message_id`
-- is set when a message of the same member names it (until then only the
-- uploader may use it).
CREATE TABLE message_attachments (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    uploader_id     TEXT NOT NULL,
    message_id      TEXT,
    content_type    TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sealed_bytes    BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, id),
    FOREIGN KEY (association_id, conversation_id) REFERENCES conversations (association_id, id) ON DELETE CASCADE
);
CREATE INDEX message_attachments_by_message ON message_attachments (association_id, message_id);
CREATE INDEX message_attachments_unused ON message_attachments (created_at) WHERE message_id IS NULL;

-- A message request is an in-app notification too.
ALTER TABLE notifications ADD COLUMN conversation_id TEXT;

-- A member's report of messages (service::messaging::report_messages):
-- only the messages the reporter chose to share reach moderators, as
-- copies sealed under the association key (field "message-report"),
-- bound to the report and message. Nothing else of the conversation is
-- readable to anyone outside it.
CREATE TABLE message_reports (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    reporter_id     TEXT REFERENCES members (id) ON DELETE SET NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('abuse', 'spam', 'medical_advice', 'crisis', 'other')),
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'dismissed')),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX message_reports_open ON message_reports (association_id, status, created_at);

CREATE TABLE message_report_items (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    report_id       TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    sender_id       TEXT NOT NULL,
    sent_at         TEXT NOT NULL,
    sealed_body     BLOB NOT NULL,
    PRIMARY KEY (association_id, report_id, message_id),
    FOREIGN KEY (association_id, report_id) REFERENCES message_reports (association_id, id) ON DELETE CASCADE
);
