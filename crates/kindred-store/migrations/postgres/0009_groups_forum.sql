-- Groups, the forum, moderation and notifications.

-- A group. `visibility`: open (join freely), closed (join on request,
-- approved by a group moderator), secret (invitation only; does not exist
-- for non-members). `member_list`: who sees the member list — every
-- member of the association, the group's members, or its moderators only.
-- In an alias group (`alias_mode`) every member appears under an alias of
-- that group only. Names are deliberately not unique: a conflict on a
-- secret group's name would reveal that it exists.
CREATE TABLE community_groups (
    association_id    TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    parent_id         TEXT,
    name              TEXT NOT NULL,
    name_key          TEXT NOT NULL,
    description       TEXT NOT NULL,
    visibility        TEXT NOT NULL CHECK (visibility IN ('open', 'closed', 'secret')),
    member_list       TEXT NOT NULL CHECK (member_list IN ('members', 'group', 'moderators')),
    alias_mode        BOOLEAN NOT NULL,
    role_restriction  TEXT,
    region            TEXT,
    mode              TEXT NOT NULL CHECK (mode IN ('online', 'local')),
    anonymous_allowed BOOLEAN NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    member_count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX groups_by_name ON community_groups (association_id, name_key, id);
CREATE INDEX groups_by_parent ON community_groups (association_id, parent_id);

-- Tags of a group from the health catalogue: kind is condition, therapy or medication.
CREATE TABLE group_tags (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    group_id        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('condition', 'therapy', 'medication')),
    code            TEXT NOT NULL,
    PRIMARY KEY (association_id, group_id, kind, code)
);
CREATE INDEX group_tags_by_code ON group_tags (association_id, kind, code, group_id);

-- Who belongs to a group. `status`: member, requested (waits for a group
-- moderator), invited (waits for the member), left (kept so that an alias
-- stays the same if they come back). `alias` is set in alias groups only.
CREATE TABLE group_members (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    group_id        TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('member', 'requested', 'invited', 'left')),
    role            TEXT NOT NULL CHECK (role IN ('member', 'moderator')),
    alias           TEXT,
    alias_key       TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (association_id, group_id, member_id)
);
CREATE INDEX group_members_by_member ON group_members (association_id, member_id, status);
CREATE UNIQUE INDEX group_members_alias ON group_members (association_id, group_id, alias_key);

-- Association-wide forum categories, configured by admins. The counters
-- are kept with every post so that the category list reads one row each.
CREATE TABLE forum_categories (
    association_id    TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL,
    position          INTEGER NOT NULL,
    anonymous_allowed BOOLEAN NOT NULL,
    ask_professional  BOOLEAN NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    topic_count       INTEGER NOT NULL DEFAULT 0,
    post_count        INTEGER NOT NULL DEFAULT 0,
    last_post_at      TIMESTAMPTZ,
    PRIMARY KEY (association_id, id)
);

-- A topic lives in exactly one category or one group's forum. The author
-- of an anonymous topic is not stored: `author_seal` is a keyed hash of
-- the author and the topic that only the author can reproduce (to edit or
-- delete), and that nobody, staff included, can turn back into a member.
CREATE TABLE topics (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    category_id     TEXT,
    group_id        TEXT,
    title           TEXT NOT NULL,
    author_id       TEXT REFERENCES members (id) ON DELETE SET NULL,
    author_seal     TEXT,
    anonymous       BOOLEAN NOT NULL,
    pinned          BOOLEAN NOT NULL,
    locked          BOOLEAN NOT NULL,
    hidden          BOOLEAN NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    last_post_at    TIMESTAMPTZ NOT NULL,
    post_count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (association_id, id),
    CHECK ((category_id IS NULL) <> (group_id IS NULL)),
    CHECK (NOT anonymous OR author_id IS NULL)
);
CREATE INDEX topics_by_category ON topics (association_id, category_id, pinned, last_post_at, id);
CREATE INDEX topics_by_group ON topics (association_id, group_id, pinned, last_post_at, id);

-- Posts of a topic, numbered from 1 (the opening post). `body` is the
-- Markdown as written, `html` its sanitised rendering, `text` the plain
-- text. Hidden posts keep their content for the author and moderators.
CREATE TABLE posts (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    topic_id        TEXT NOT NULL,
    number          INTEGER NOT NULL,
    author_id       TEXT REFERENCES members (id) ON DELETE SET NULL,
    author_seal     TEXT,
    anonymous       BOOLEAN NOT NULL,
    professional    BOOLEAN NOT NULL,
    quote_of        TEXT,
    body            TEXT NOT NULL,
    html            TEXT NOT NULL,
    text            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    edited_at       TIMESTAMPTZ,
    deleted         BOOLEAN NOT NULL,
    hidden          BOOLEAN NOT NULL,
    hidden_reason   TEXT,
    hidden_at       TIMESTAMPTZ,
    PRIMARY KEY (association_id, id),
    CHECK (NOT anonymous OR author_id IS NULL)
);
CREATE UNIQUE INDEX posts_by_topic ON posts (association_id, topic_id, number);
CREATE INDEX posts_by_author ON posts (association_id, author_id);

-- Earlier versions of an edited post, for the visible edit history.
CREATE TABLE post_edits (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    post_id         TEXT NOT NULL,
    body            TEXT NOT NULL,
    html            TEXT NOT NULL,
    written_at      TIMESTAMPTZ NOT NULL,
    replaced_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX post_edits_by_post ON post_edits (association_id, post_id, replaced_at);

CREATE TABLE reactions (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    post_id         TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (association_id, post_id, member_id, kind)
);

CREATE TABLE topic_subscriptions (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    topic_id        TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (association_id, topic_id, member_id)
);
CREATE INDEX topic_subscriptions_by_member ON topic_subscriptions (association_id, member_id);

-- How far a member has read a topic: the highest post number seen.
CREATE TABLE topic_reads (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    topic_id        TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    last_read       INTEGER NOT NULL,
    PRIMARY KEY (association_id, member_id, topic_id)
);

-- In-app notifications. `actor_label` is what the member may see of who
-- caused it (a pseudonym, an alias, or nothing for anonymous posts) —
-- fixed when written, so that an alias never turns into a pseudonym.
CREATE TABLE notifications (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    member_id       TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    topic_id        TEXT,
    post_id         TEXT,
    actor_label     TEXT,
    detail          TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    read_at         TIMESTAMPTZ,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX notifications_by_member ON notifications (association_id, member_id, created_at);

-- Reports. `kind`: abuse, spam, medical_advice (routed to professionals),
-- crisis (routed at once to staff), other.
CREATE TABLE reports (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    reporter_id     TEXT REFERENCES members (id) ON DELETE SET NULL,
    target_type     TEXT NOT NULL CHECK (target_type IN ('post', 'topic')),
    target_id       TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('abuse', 'spam', 'medical_advice', 'crisis', 'other')),
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'dismissed')),
    created_at      TIMESTAMPTZ NOT NULL,
    resolved_by     TEXT,
    resolved_at     TIMESTAMPTZ,
    resolution      TEXT,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX reports_open ON reports (association_id, status, kind, created_at);

-- Every moderation action with its reason (also written to the audit log).
CREATE TABLE moderation_actions (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    actor_id        TEXT NOT NULL,
    action          TEXT NOT NULL,
    target_type     TEXT NOT NULL,
    target_id       TEXT NOT NULL,
    reason          TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (association_id, id)
);
CREATE INDEX moderation_actions_by_target ON moderation_actions (association_id, target_id, created_at);

-- Full-text search over posts (the topic title rides with the opening
-- post): the German, English and Dutch stemmings of each post together in
-- one GIN index; a query asks in all three (SQLite uses FTS5 instead).
CREATE TABLE post_search (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    post_id         TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    PRIMARY KEY (association_id, post_id)
);
CREATE INDEX post_search_document ON post_search USING GIN ((
    to_tsvector('german'::regconfig, title || ' ' || body)
    || to_tsvector('english'::regconfig, title || ' ' || body)
    || to_tsvector('dutch'::regconfig, title || ' ' || body)
));
