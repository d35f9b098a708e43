-- Profiles, levels, contacts and search.

-- A profile row is the member's choice for one field: its visibility, and
-- the value if there is one. A choice may now be made before a value is
-- given, so both value columns may be empty (but never both set).
CREATE TABLE profile_values_new (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    field           TEXT NOT NULL,
    visibility      TEXT NOT NULL,
    clear_value     TEXT,
    sealed_value    BLOB,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, member_id, field),
    CHECK (clear_value IS NULL OR sealed_value IS NULL)
);
INSERT INTO profile_values_new
    SELECT association_id, member_id, field, visibility, clear_value, sealed_value, updated_at FROM profile_values;
DROP TABLE profile_values;
ALTER TABLE profile_values_new RENAME TO profile_values;

-- Search over profiles without clear text: one row per searchable value,
-- `token` a keyed hash (HMAC under the association's search key) of the
-- field's purpose and the value (a catalogue code, a year, a normalised
-- word). `visibility` is the effective visibility of the field it came
-- from: 1..4, or 5 for private.
CREATE TABLE search_terms (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    field           TEXT NOT NULL,
    token           TEXT NOT NULL,
    visibility      INTEGER NOT NULL CHECK (visibility BETWEEN 1 AND 5),
    PRIMARY KEY (association_id, member_id, field, token)
);
CREATE INDEX search_terms_by_token ON search_terms (association_id, token, visibility, member_id);

-- Levels, one direction each: `owner_id` placed `contact_id` on `level`.
CREATE TABLE contacts (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    owner_id        TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    contact_id      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, owner_id, contact_id)
);
CREATE INDEX contacts_by_contact ON contacts (association_id, contact_id, owner_id);

-- Contact requests. The short message is sealed; `level` is the level the
-- requester will place the other on once accepted.
CREATE TABLE contact_requests (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    from_id         TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    to_id           TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    sealed_message  BLOB,
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX contact_requests_to ON contact_requests (association_id, to_id, status);
CREATE INDEX contact_requests_from ON contact_requests (association_id, from_id, status);

-- A contact asks to be placed on a higher level (step-by-step disclosure).
CREATE TABLE disclosure_requests (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    from_id         TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    to_id           TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    level           INTEGER NOT NULL CHECK (level BETWEEN 2 AND 4),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX disclosure_requests_to ON disclosure_requests (association_id, to_id, status);
CREATE INDEX disclosure_requests_from ON disclosure_requests (association_id, from_id, status);

CREATE TABLE blocks (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    blocker_id      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    blocked_id      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, blocker_id, blocked_id)
);
CREATE INDEX blocks_by_blocked ON blocks (association_id, blocked_id, blocker_id);

-- Profile photos: re-encoded (no metadata), sealed like health fields.
CREATE TABLE photos (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    sealed_image    BLOB NOT NULL,
    content_type    TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, member_id)
);

-- Things staff should look at, e.g. a member viewing profiles at a
-- scraper's pace.
CREATE TABLE staff_flags (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX staff_flags_by_time ON staff_flags (association_id, created_at);
