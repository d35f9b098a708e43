-- Removing a profile field from an association's settings now erases
-- every member's value, visibility choice and search terms of it in the
-- same transaction (store::update_association_settings). Fields removed
-- before that left them behind: findable by search, out of the member's
-- reach, and back again if the field were added anew. They are erased
-- here: every row of a field the association's stored settings no longer
-- list. Stored settings always list their fields (`profile_fields`, every
-- default filled in); an association whose settings do not is left as it is.
-- (`settings` is always JSON: the service writes it with serde_json.)

DELETE FROM search_terms t
USING associations a
WHERE a.id = t.association_id
  AND jsonb_typeof(a.settings::jsonb -> 'profile_fields') = 'array'
  AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(a.settings::jsonb -> 'profile_fields') f
      WHERE f ->> 'code' = t.field
  );

DELETE FROM profile_values p
USING associations a
WHERE a.id = p.association_id
  AND jsonb_typeof(a.settings::jsonb -> 'profile_fields') = 'array'
  AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(a.settings::jsonb -> 'profile_fields') f
      WHERE f ->> 'code' = p.field
  );

-- The photo's image lives in its own table, beside the field's value.
DELETE FROM photos ph
USING associations a
WHERE a.id = ph.association_id
  AND jsonb_typeof(a.settings::jsonb -> 'profile_fields') = 'array'
  AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(a.settings::jsonb -> 'profile_fields') f
      WHERE f ->> 'code' = 'photo'
  );
