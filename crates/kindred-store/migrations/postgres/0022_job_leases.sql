-- Timed jobs of the deployment (service::jobs): one row per job name. A
-- node runs a job only while it holds the lease (holder, leased_until),
-- so with several nodes on one database each run happens on one node.
-- The row also records what the last run did, for /metrics and the log.
-- A deployment table, like associations: it belongs to no association.
CREATE TABLE job_leases (
    name                TEXT PRIMARY KEY,
    holder              TEXT NOT NULL,
    leased_until        TIMESTAMPTZ NOT NULL,
    last_started_at     TIMESTAMPTZ,
    last_finished_at    TIMESTAMPTZ,
    last_outcome        TEXT,
    runs                BIGINT NOT NULL,
    failures            BIGINT NOT NULL
);
