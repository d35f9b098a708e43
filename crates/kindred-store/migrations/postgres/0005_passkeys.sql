-- Passkeys (WebAuthn) as a second factor, next to TOTP.

-- A member's registered passkeys. `id` is ours and public (it names the
-- passkey in lists and removal); `credential_id` is the authenticator's,
-- base64url. `credential` is webauthn-rs's serialised Passkey: a public key,
-- its algorithm and signature counter; nothing secret.
CREATE TABLE passkeys (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    credential_id   TEXT NOT NULL,
    name            TEXT NOT NULL,
    credential      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    last_used_at    TIMESTAMPTZ,
    PRIMARY KEY (association_id, id),
    UNIQUE (association_id, credential_id)
);
CREATE INDEX passkeys_by_member ON passkeys (association_id, member_id);

-- Registration and authentication ceremonies in progress, in the database
-- so that the finishing request may reach another node. Single use (deleted
-- when finished), valid for five minutes. `state` is webauthn-rs's
-- serialised state; it must never reach the client.
CREATE TABLE webauthn_challenges (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT PRIMARY KEY,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    purpose         TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
    state           TEXT NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX webauthn_challenges_by_member ON webauthn_challenges (association_id, member_id);
