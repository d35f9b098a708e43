-- Profile field values. Health fields are kept only sealed (encrypted and
-- bound to association, member and field by the service layer); other fields
-- in clear. Exactly one of the two value columns is set.
CREATE TABLE profile_values (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    field           TEXT NOT NULL,
    visibility      TEXT NOT NULL,
    clear_value     TEXT,
    sealed_value    BYTEA,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (association_id, member_id, field),
    CHECK ((clear_value IS NULL) <> (sealed_value IS NULL))
);
