-- Registering an address that already has an account makes a decoy: an
-- account that can never be confirmed, under the password given, so that
-- signing in afterwards answers as for a new registration (the address
-- is not told to have an account). Its e-mail key is its own
-- ('decoy:' and its id); this table finds it by the address's key.
-- It goes with the unconfirmed accounts after `unconfirmed_days`.
CREATE TABLE registration_decoys (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    email_key       TEXT NOT NULL,
    -- A keyed hash of the password given (the association's key): picks
    -- the decoy at sign-in without a second Argon2 run.
    password_check  TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (association_id, member_id)
);
CREATE INDEX registration_decoys_by_email ON registration_decoys (association_id, email_key);
