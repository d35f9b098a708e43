-- Events (issue 15): one-off and recurring events of the association or of
-- a group, registrations with a waiting list, cancelled occurrences of a
-- series, reminders sent, and each member's secret calendar feed.
--
-- Times are UTC instants; `time_zone` is the IANA zone the event's wall
-- clock (and a series' repetition) is in. `last_ends_at` is when the last
-- occurrence ends (= ends_at for a one-off event), for range queries.
-- `registered_count` and `next_seq` are changed only under the event row's
-- lock (an UPDATE of that row first in the transaction), which is what
-- keeps the capacity under concurrent registrations on PostgreSQL; SQLite
-- has a single writer.
CREATE TABLE events (
    association_id          TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id                      TEXT NOT NULL,
    group_id                TEXT,
    created_by              TEXT NOT NULL,
    title                   TEXT NOT NULL,
    description             TEXT NOT NULL,
    starts_at               TEXT NOT NULL,
    ends_at                 TEXT NOT NULL,
    last_ends_at            TEXT NOT NULL,
    time_zone               TEXT NOT NULL,
    mode                    TEXT NOT NULL CHECK (mode IN ('online', 'in_person', 'hybrid')),
    location                TEXT,
    online_url              TEXT,
    step_free               BOOLEAN NOT NULL,
    accessible_toilet       BOOLEAN NOT NULL,
    hearing_loop            BOOLEAN NOT NULL,
    seating                 BOOLEAN NOT NULL,
    quiet_room              BOOLEAN NOT NULL,
    accessibility_notes     TEXT NOT NULL,
    capacity                INTEGER CHECK (capacity IS NULL OR capacity >= 1),
    registration_closes_at  TEXT,
    recurrence              TEXT,
    region                  TEXT,
    show_attendees          BOOLEAN NOT NULL,
    registered_count        INTEGER NOT NULL DEFAULT 0,
    next_seq                INTEGER NOT NULL DEFAULT 0,
    cancelled_at            TEXT,
    cancel_reason           TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX events_by_start ON events (association_id, starts_at, id);
CREATE INDEX events_by_end ON events (association_id, last_ends_at);
CREATE INDEX events_by_group ON events (association_id, group_id, starts_at);

-- One occurrence of a series cancelled on its own (by its original start).
CREATE TABLE event_occurrences (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    cancelled_at    TEXT NOT NULL,
    PRIMARY KEY (association_id, event_id, starts_at)
);

-- Registrations: `registered` or `waitlisted`; the waiting list is in `seq` order.
CREATE TABLE event_registrations (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted')),
    seq             INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, event_id, member_id)
);
CREATE INDEX event_registrations_by_member ON event_registrations (association_id, member_id);
CREATE INDEX event_registrations_by_seq ON event_registrations (association_id, event_id, status, seq);

-- Reminders sent: one row per occurrence and member, written in the same
-- transaction as the notification, so none is sent twice.
CREATE TABLE event_reminders (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    sent_at         TEXT NOT NULL,
    PRIMARY KEY (association_id, event_id, starts_at, member_id)
);

-- A member's calendar feed. The secret token is an HMAC under the server's
-- key of `nonce` (so the member's page can show the URL again, while the
-- database alone cannot produce it); `token_hash` is its SHA-256, which a
-- request's token is looked up by. A new nonce replaces the feed.
CREATE TABLE calendar_feeds (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    nonce           TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    full_titles     BOOLEAN NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, member_id)
);

-- Notifications about an event (changed, cancelled, promoted, reminder).
ALTER TABLE notifications ADD COLUMN event_id TEXT;
