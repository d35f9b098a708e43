-- Associations (tenants), the host names mapped to them, and member accounts.
CREATE TABLE associations (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    settings    TEXT NOT NULL,
    logo        BYTEA,
    logo_type   TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE association_hosts (
    host            TEXT PRIMARY KEY,
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE
);

CREATE TABLE members (
    id              TEXT PRIMARY KEY,
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    email           TEXT NOT NULL,
    email_key       TEXT NOT NULL,
    pseudonym       TEXT NOT NULL,
    pseudonym_key   TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL,
    status          TEXT NOT NULL,
    language        TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (association_id, email_key),
    UNIQUE (association_id, pseudonym_key)
);
CREATE INDEX members_by_association ON members (association_id, created_at, id);
