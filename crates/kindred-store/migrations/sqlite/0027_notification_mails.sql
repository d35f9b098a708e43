-- Mails about notifications (service::mail_delivery).
--
-- mail_records is the record that a notification's mail was decided: one
-- row per notification, written in the same transaction that claims it for
-- a mail (mail_id names the mail; a digest has many rows with one mail_id),
-- or with mail_id NULL when the member wants no mail for its kind or may no
-- longer see it. sent_at is set once the mail is handed over; a claim whose
-- lease ran out without sent_at is sent again under the same mail_id (the
-- outbox file and the Message-ID are named by it), never as a new mail.
CREATE TABLE mail_records (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    notification_id TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    mail_id         TEXT,
    kind            TEXT NOT NULL,
    claimed_at      TEXT NOT NULL,
    lease_until     TEXT NOT NULL,
    sent_at         TEXT,
    PRIMARY KEY (association_id, notification_id)
);
CREATE INDEX mail_records_by_mail ON mail_records (association_id, mail_id);
CREATE INDEX mail_records_unsent ON mail_records (association_id, sent_at, lease_until);

-- The job looks only at recent notifications without a record.
CREATE INDEX notifications_by_time ON notifications (association_id, created_at);

-- Notifications written before this migration were dealt with the old way
-- (or not at all): they are recorded as decided, so nobody gets a flood of
-- old news after the upgrade.
INSERT INTO mail_records (association_id, notification_id, member_id, mail_id, kind, claimed_at, lease_until, sent_at)
SELECT association_id, id, member_id, NULL, kind, created_at, created_at, created_at FROM notifications;

-- A member's quiet hours: no immediate mail between from_minute and
-- to_minute (minutes after local midnight; from > to spans midnight) in
-- time_zone (an IANA name; NULL: the association's time zone).
CREATE TABLE quiet_hours (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    from_minute     INTEGER NOT NULL,
    to_minute       INTEGER NOT NULL,
    time_zone       TEXT,
    PRIMARY KEY (association_id, member_id)
);

-- What a notification about a contact or disclosure request, or about a
-- group invitation or join request, is about: the list and the mail job
-- check it again when they show or mail it (still pending, still a
-- moderator, no block).
ALTER TABLE notifications ADD COLUMN request_id TEXT;
ALTER TABLE notifications ADD COLUMN group_id TEXT;
