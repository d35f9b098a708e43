-- A category's counters (topics, posts, last post) are shown to every
-- member, so they count only topics that are not hidden: a count that went
-- up, or a last post at a time no listed topic has, told of a topic a
-- moderator hid. Kept since by store::forum::RECOUNT_CATEGORY whenever a
-- topic is hidden, restored or moved; counted here once for what is there.
UPDATE forum_categories SET
    topic_count = (SELECT COUNT(*) FROM topics t
        WHERE t.association_id = forum_categories.association_id
          AND t.category_id = forum_categories.id AND NOT t.hidden),
    post_count = (SELECT COALESCE(SUM(t.post_count), 0) FROM topics t
        WHERE t.association_id = forum_categories.association_id
          AND t.category_id = forum_categories.id AND NOT t.hidden),
    last_post_at = (SELECT MAX(t.last_post_at) FROM topics t
        WHERE t.association_id = forum_categories.association_id
          AND t.category_id = forum_categories.id AND NOT t.hidden);
