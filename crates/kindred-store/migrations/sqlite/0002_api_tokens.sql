-- Bearer tokens of the API, stored as SHA-256 hashes; and whether a member may be found.
ALTER TABLE members ADD COLUMN discoverable BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE api_tokens (
    token_hash      TEXT PRIMARY KEY,
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL
);
CREATE INDEX api_tokens_by_member ON api_tokens (association_id, member_id);
