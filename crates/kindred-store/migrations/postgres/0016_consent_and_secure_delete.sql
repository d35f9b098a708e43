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

CREATE FUNCTION profile_values_health_needs_consent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sealed_value IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM consents c
        WHERE c.association_id = NEW.association_id AND c.member_id = NEW.member_id AND c.kind = 'health_data'
    ) THEN
        RAISE EXCEPTION 'health value without health_data consent' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER profile_values_health_needs_consent BEFORE INSERT OR UPDATE OF sealed_value ON profile_values
    FOR EACH ROW EXECUTE FUNCTION profile_values_health_needs_consent();

-- (SQLite's 0016 also makes its full-text index forget deleted posts at
-- once; PostgreSQL's `post_search` rows are deleted with the post, and
-- VACUUM reclaims the old row versions, see the README.)

-- Search terms of a field that gives another away (a form of a condition,
-- a year of diagnosis: kindred_domain::disclosure::IMPLIES) count no more
-- open than the condition's terms; without those, private until the
-- member next saves the profile, when the service writes them anew.
UPDATE search_terms SET visibility = GREATEST(visibility, COALESCE((
    SELECT MAX(c.visibility) FROM search_terms c
    WHERE c.association_id = search_terms.association_id
      AND c.member_id = search_terms.member_id
      AND c.field = 'condition'
), 5))
WHERE field IN ('condition_form', 'diagnosis_year');
