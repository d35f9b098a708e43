-- Whether a member found through a search token is findable (active,
-- discoverable, of this association), without reading the member's row.
CREATE INDEX IF NOT EXISTS members_by_id_findable ON members (id, association_id, status, discoverable);
