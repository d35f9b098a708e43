-- A member's own time zone for the times on pages (an IANA name such as
-- Europe/Berlin); NULL follows the association's `time_zone` setting.
-- The language preference already lives in members.language (set at
-- registration, now changeable in the account's preferences).
ALTER TABLE members ADD COLUMN time_zone TEXT;
