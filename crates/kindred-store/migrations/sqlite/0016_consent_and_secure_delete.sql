-- A health value (a sealed profile value) exists only while the member's
-- consent to health data ('health_data', service::profiles::HEALTH_CONSENT)
-- is recorded: the database itself refuses any other write, so that no
-- path — the profile form, the API, a bulk loader, the demo — can forget.

-- Values stored before this rule without a consent (demo and benchmark
-- data) are erased, with their search terms; the visibility choices stay.
DELETE FROM search_terms
WHERE EXISTS (
    SELECT 1 FROM profile_values p
    WHERE p.association_id = search_terms.association_id
      AND p.member_id = search_terms.member_id
      AND p.field = search_terms.field
      AND p.sealed_value IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM consents c
          WHERE c.association_id = p.association_id AND c.member_id = p.member_id AND c.kind = 'health_data'
      )
);
UPDATE profile_values SET sealed_value = NULL
WHERE sealed_value IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM consents c
      WHERE c.association_id = profile_values.association_id
        AND c.member_id = profile_values.member_id
        AND c.kind = 'health_data'
  );

CREATE TRIGGER profile_values_health_needs_consent_insert BEFORE INSERT ON profile_values
WHEN NEW.sealed_value IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM consents c
    WHERE c.association_id = NEW.association_id AND c.member_id = NEW.member_id AND c.kind = 'health_data'
)
BEGIN
    SELECT RAISE(ABORT, 'health value without health_data consent');
END;

CREATE TRIGGER profile_values_health_needs_consent_update BEFORE UPDATE OF sealed_value ON profile_values
WHEN NEW.sealed_value IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM consents c
    WHERE c.association_id = NEW.association_id AND c.member_id = NEW.member_id AND c.kind = 'health_data'
)
BEGIN
    SELECT RAISE(ABORT, 'health value without health_data consent');
END;

-- A deleted post leaves no words in the full-text index: FTS5 removes a
-- deleted row's entries from the index segments at once ('secure-delete',
-- SQLite 3.44+) instead of adding a tombstone beside them, and one merge
-- of all segments drops the entries of posts deleted before. With
-- `PRAGMA secure_delete` (connect options) the freed bytes are zeroed.
INSERT INTO post_search (post_search, rank) VALUES ('secure-delete', 1);
INSERT INTO post_search (post_search) VALUES ('optimize');

-- Search terms of a field that gives another away (a form of a condition,
-- a year of diagnosis: kindred_domain::disclosure::IMPLIES) count no more
-- open than the condition's terms; without those, private until the
-- member next saves the profile, when the service writes them anew.
UPDATE search_terms SET visibility = MAX(visibility, COALESCE((
    SELECT MAX(c.visibility) FROM search_terms c
    WHERE c.association_id = search_terms.association_id
      AND c.member_id = search_terms.member_id
      AND c.field = 'condition'
), 5))
WHERE field IN ('condition_form', 'diagnosis_year');
