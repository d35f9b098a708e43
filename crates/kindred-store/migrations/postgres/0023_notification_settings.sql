-- A member's e-mail choice per kind of notification
-- (kindred_domain::notification_kinds). Only choices that differ from the
-- kind's default are stored; a kind without a row has its default.
CREATE TABLE notification_settings (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    email           TEXT NOT NULL,
    PRIMARY KEY (association_id, member_id, kind)
);
