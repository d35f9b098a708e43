-- When a published article was last reviewed (product brief: "with their
-- sources and a date of the last review"): set when it is published, and
-- again when a second professional or an editor confirms that it is still
-- accurate (service::knowledge::confirm_article), which leaves its place in
-- the list (published_at) alone. `reviewer_id` names the last reviewer.
ALTER TABLE articles ADD COLUMN reviewed_at TEXT;
UPDATE articles SET reviewed_at = published_at WHERE status = 'published';
