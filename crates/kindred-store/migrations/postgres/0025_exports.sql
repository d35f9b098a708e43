-- A member's data export (issue 20, part 1; service::export). A row is
-- asked for (`building`), built in the background or by the `exports`
-- job, which claims it until `claimed_until` so that a crash leaves it to
-- the next run, then holds the ZIP sealed under the association key
-- (field `export:{id}`, bound to the member) until `expires_at`. The one
-- download takes the ZIP out (`sealed_zip` set to NULL with
-- `downloaded_at`), and the housekeeping of the job deletes rows whose time
-- is over, so that a copy of everything about a member never lingers.
CREATE TABLE exports (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    requested_at    TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    ready_at        TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    downloaded_at   TIMESTAMPTZ,
    sealed_zip      BYTEA,
    PRIMARY KEY (association_id, id),
    CHECK (sealed_zip IS NULL OR (ready_at IS NOT NULL AND downloaded_at IS NULL))
);
CREATE INDEX exports_by_member ON exports (association_id, member_id, requested_at);
CREATE INDEX exports_to_build ON exports (ready_at, requested_at);
