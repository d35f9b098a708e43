-- Member search: walking members in pseudonym order (and matching part of
-- a pseudonym) reads only this index, not the wide member rows; and
-- whether one member holds a token, at which visibility, is one index seek.
CREATE INDEX IF NOT EXISTS members_findable ON members (association_id, pseudonym_key, status, discoverable, id);
CREATE INDEX IF NOT EXISTS search_terms_by_member ON search_terms (association_id, member_id, token, visibility);
