-- One occurrence of a series changed on its own (issue 15): a new time
-- and, optionally, another place or video link for that date only. The
-- occurrence is named by its original start, as in `event_occurrences`;
-- a change whose original start is no longer produced by the series (its
-- rule or first date changed since) is ignored. Registration stays per
-- series.
CREATE TABLE event_occurrence_changes (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL,
    starts_at       TEXT NOT NULL,
    new_starts_at   TEXT NOT NULL,
    new_ends_at     TEXT NOT NULL,
    location        TEXT,
    online_url      TEXT,
    changed_at      TEXT NOT NULL,
    PRIMARY KEY (association_id, event_id, starts_at)
);
