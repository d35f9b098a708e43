-- When a member was verified and by which procedure (member_number,
-- letter, invitation, manual): for the association's statistics, which
-- show these only as counts by week (service::statistics).
CREATE TABLE verifications (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    procedure       TEXT NOT NULL,
    verified_at     TEXT NOT NULL,
    PRIMARY KEY (association_id, member_id)
);
CREATE INDEX verifications_by_time ON verifications (association_id, verified_at);
