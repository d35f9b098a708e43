-- Erasure and retention (service::erasure, service::jobs).
--
-- A pseudonym of an erased member is held back for the association's grace
-- period, so that nobody can take it at once and be mistaken for them. Only
-- a keyed hash (the association's search key) of the pseudonym's look-alike
-- skeleton is kept: the table alone does not tell which pseudonym it was.
CREATE TABLE pseudonym_reservations (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    skeleton_hash   TEXT NOT NULL,
    reserved_until  TEXT NOT NULL,
    PRIMARY KEY (association_id, skeleton_hash)
);
CREATE INDEX pseudonym_reservations_by_end ON pseudonym_reservations (reserved_until);

-- When the member last signed in (retention of inactive accounts), and
-- when they were warned that their account will be erased; a sign-in
-- clears the warning.
ALTER TABLE members ADD COLUMN last_active_at TEXT;
ALTER TABLE members ADD COLUMN inactivity_warned_at TEXT;
-- Unknown until now: the clock starts at the upgrade, so that nobody is
-- warned or erased for the time before Kindred kept this.
UPDATE members SET last_active_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now');
