-- Notifications about knowledge articles (service::knowledge): an article
-- submitted for review (`article_submitted`, to those who may review it)
-- and a review's decision (`article_reviewed`, to the author; `detail` is
-- `published` or `returned`). They count only while they still apply
-- (store::notification_list).
ALTER TABLE notifications ADD COLUMN article_id TEXT;
