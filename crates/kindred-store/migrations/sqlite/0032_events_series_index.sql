-- Event lists read the series overlapping a range on every request. Without
-- this index the query walked every event of the association in start order
-- to find the few with a recurrence; this one holds only the series, by end.
CREATE INDEX events_series_by_end ON events (association_id, last_ends_at) WHERE recurrence IS NOT NULL;
