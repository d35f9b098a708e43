-- Accounts and admission: e-mail confirmation, consents, sessions for pages
-- and API alike, throttling, the verification procedures, second factors and
-- the append-only audit log.

ALTER TABLE members ADD COLUMN email_confirmed_at TEXT;
-- Shown next to a professional's pseudonym, e.g. "Neurologist".
ALTER TABLE members ADD COLUMN badge TEXT;
-- TOTP secrets, sealed like health fields; `totp_pending` during enrolment.
ALTER TABLE members ADD COLUMN totp_secret BLOB;
ALTER TABLE members ADD COLUMN totp_pending BLOB;
ALTER TABLE members ADD COLUMN totp_last_step BIGINT;

-- Which version of the terms and privacy notice a member accepted, when.
CREATE TABLE consents (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    version         TEXT NOT NULL,
    given_at        TEXT NOT NULL,
    PRIMARY KEY (association_id, member_id, kind, version)
);

-- API bearer tokens of the foundation move into `sessions`; existing
-- tokens end (clients sign in again).
DROP TABLE api_tokens;

-- Every signed-in session, web page or API, kept only as the SHA-256 of
-- its secret. `id` is public: it names the session in lists and revocation.
CREATE TABLE sessions (
    id                      TEXT PRIMARY KEY,
    token_hash              TEXT NOT NULL UNIQUE,
    association_id          TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id               TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind                    TEXT NOT NULL,
    second_factor_pending   BOOLEAN NOT NULL,
    client                  TEXT NOT NULL,
    created_at              TEXT NOT NULL,
    last_used_at            TEXT NOT NULL,
    idle_expires_at         TEXT NOT NULL,
    expires_at              TEXT NOT NULL
);
CREATE INDEX sessions_by_member ON sessions (association_id, member_id);

-- Single-use links sent by mail (confirm the address, reset the password).
CREATE TABLE email_tokens (
    token_hash      TEXT PRIMARY KEY,
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    purpose         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT
);
CREATE INDEX email_tokens_by_member ON email_tokens (association_id, member_id, purpose);

-- Fixed-window counters for throttling (failed sign-ins, code attempts),
-- in the database so that they hold across several server nodes.
CREATE TABLE attempts (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    bucket          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    count           BIGINT NOT NULL,
    window_start    TEXT NOT NULL,
    PRIMARY KEY (association_id, bucket, subject)
);

-- The association's member list, only as keyed hashes of
-- "number|postcode|birth date".
CREATE TABLE member_list (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    entry_hash      TEXT NOT NULL,
    import_id       TEXT NOT NULL,
    used_by         TEXT REFERENCES members (id) ON DELETE SET NULL,
    PRIMARY KEY (association_id, entry_hash)
);

-- Postal letters: the address and code sealed; the address is erased once
-- the code is confirmed.
CREATE TABLE letters (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    sealed_address  BLOB,
    code_hash       TEXT,
    attempts        BIGINT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    printed_at      TEXT,
    confirmed_at    TEXT,
    PRIMARY KEY (association_id, member_id)
);

CREATE TABLE invitations (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    code_hash       TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_by         TEXT REFERENCES members (id) ON DELETE SET NULL,
    used_at         TEXT,
    PRIMARY KEY (association_id, code_hash)
);

-- The staff's queue: who waits for verification, by which procedure.
CREATE TABLE verification_requests (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    procedure       TEXT NOT NULL,
    requested_at    TEXT NOT NULL,
    PRIMARY KEY (association_id, member_id)
);

CREATE TABLE recovery_codes (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    code_hash       TEXT NOT NULL,
    used_at         TEXT,
    PRIMARY KEY (association_id, member_id, code_hash)
);

-- Append-only: every staff action and every staff view of personal data.
-- No foreign keys to members, so that entries outlive deleted accounts.
CREATE TABLE audit_log (
    id              TEXT PRIMARY KEY,
    association_id  TEXT NOT NULL REFERENCES associations (id),
    at              TEXT NOT NULL,
    actor_id        TEXT,
    action          TEXT NOT NULL,
    target_id       TEXT,
    detail          TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (association_id, at, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
