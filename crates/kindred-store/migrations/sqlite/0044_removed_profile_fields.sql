-- Removing a profile field from an association's settings now erases
-- every member's value, visibility choice and search terms of it in the
-- same transaction (store::update_association_settings). Fields removed
-- before that left them behind: findable by search, out of the member's
-- reach, and back again if the field were added anew. They are erased
-- here: every row of a field the association's stored settings no longer
-- list. Stored settings always list their fields (`profile_fields`, every
-- default filled in); an association whose settings do not is left as it is.

DELETE FROM search_terms
WHERE EXISTS (
    SELECT 1 FROM associations a
    WHERE a.id = search_terms.association_id
      AND json_valid(a.settings)
      AND json_type(a.settings, '$.profile_fields') = 'array'
      AND NOT EXISTS (
          SELECT 1 FROM json_each(a.settings, '$.profile_fields') f
          WHERE json_extract(f.value, '$.code') = search_terms.field
      )
);

DELETE FROM profile_values
WHERE EXISTS (
    SELECT 1 FROM associations a
    WHERE a.id = profile_values.association_id
      AND json_valid(a.settings)
      AND json_type(a.settings, '$.profile_fields') = 'array'
      AND NOT EXISTS (
          SELECT 1 FROM json_each(a.settings, '$.profile_fields') f
          WHERE json_extract(f.value, '$.code') = profile_values.field
      )
);

-- The photo's image lives in its own table, beside the field's value.
DELETE FROM photos
WHERE EXISTS (
    SELECT 1 FROM associations a
    WHERE a.id = photos.association_id
      AND json_valid(a.settings)
      AND json_type(a.settings, '$.profile_fields') = 'array'
      AND NOT EXISTS (
          SELECT 1 FROM json_each(a.settings, '$.profile_fields') f
          WHERE json_extract(f.value, '$.code') = 'photo'
      )
);
