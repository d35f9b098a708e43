# The forum pages (pages::forum).
nav-forum = Forum

## The composer's preview (no JavaScript needed)
forum-preview-button = Preview
forum-preview-title = Preview
forum-preview-hint = This is how your post will look. Nothing has been published yet.
forum-title = Forum
forum-intro = Talk with other members. Topics in a category are read by every member; topics in a group forum by the group.
forum-last-post = last post
forum-anonymous-allowed = Anonymous posts allowed
forum-ask-professional = Ask a professional
forum-no-categories = There are no categories yet.
forum-back-to = Back to { $place }
forum-back-to-topic = Back to the topic
forum-new-topic = Start a topic
forum-new-in = Your topic goes to: { $place }
forum-new-submit = Publish the topic
forum-unread = new
forum-pinned = Pinned
forum-locked = Locked
forum-hidden = Hidden by a moderator
forum-started-by = Started by { $author }
forum-no-topics = No topics yet. Start the first one!
forum-pages = More pages
forum-older-topics = Older topics
forum-first-page = To the first posts
forum-jump-to-reply = Jump to the reply box
forum-next-page = Next posts
forum-subscribe = Notify me of replies
forum-unsubscribe = Stop notifying me of replies
forum-post-number = Post { $number }
forum-anonymous = Anonymous
forum-former-member = Former member
forum-deleted = Deleted
forum-deleted-text = Deleted by the author.
forum-hidden-post = Hidden
forum-hidden-text = Hidden by a moderator.
forum-hidden-because = A moderator hid this post. Reason: { $reason }
forum-topic-hidden-because = A moderator hid this topic; only its author and the moderators see it. Reason: { $reason }
forum-professional-answer = Answer by a professional
forum-edited = edited
forum-history-link = earlier versions
forum-reactions = Reactions
forum-reaction-heart = Heart
forum-reaction-hug = Hug
forum-reaction-thanks = Thanks
forum-reaction-helpful = Helpful
forum-quote = Quote
forum-quote-from = From post { $number }:
forum-report = Report
forum-edit = Edit
forum-delete = Delete
forum-reply-title = Your reply
forum-reply-submit = Publish the reply
forum-body-label = Text
forum-title-label = Title
forum-markdown-help = You can format: **bold**, *italic*, > quote, - list, [link text](https://…). Mention someone with @name or @[name with spaces].
forum-anonymous-label = Post anonymously
forum-anonymous-hint = Nobody, staff included, will see that you wrote it. You can still edit and delete it.
forum-locked-text = This topic is locked: no more replies.
forum-edit-title = Edit your post
forum-edit-intro = Earlier versions stay visible in the post's history.
forum-edit-submit = Save the post
forum-history-title = Earlier versions
forum-history-version = Version written
forum-history-none = This post has not been edited.
forum-topic-count = { $count ->
    [one] one topic
   *[other] { $count } topics
}
forum-post-count = { $count ->
    [one] one post
   *[other] { $count } posts
}
forum-group-title = Forum of { $group }
forum-problem-title = Give the topic a title of at most 200 characters.
forum-problem-body = Write a text of at most 20,000 characters.
forum-problem-anonymous = Anonymous posts are not allowed here.
forum-problem-quote = The quoted post is no longer there.
forum-problem-place = Choose a category or a group for the topic.
forum-problem-name = Give the category a name of at most 100 characters.
forum-problem-description = The description may have at most 1000 characters.
forum-problem-position = The position is a number from 0 to 10000.
forum-done-posted = Your post is published.
forum-done-edited = Your post is saved.
forum-done-deleted = Your post is deleted.
forum-done-subscribed = You will be notified of replies.
forum-done-unsubscribed = You will no longer be notified of replies.
forum-done-reacted = Your reaction is saved.
forum-staff-title = Forum categories
forum-staff-about = Set up the categories of the forum: names, order, anonymous posts, "ask a professional".
forum-staff-categories = Categories
forum-staff-new = New category
forum-staff-name = Name
forum-staff-description = Description
forum-staff-position = Position in the list
forum-staff-anonymous = Members may post anonymously
forum-staff-professional = "Ask a professional": answers by professionals are marked
forum-staff-save = Save
forum-staff-delete = Delete
forum-staff-create = Add the category
forum-staff-done-created = The category was added.
forum-staff-done-saved = The category was saved.
forum-staff-done-deleted = The category was deleted.
forum-staff-done-not-empty = The category still holds topics and cannot be deleted.
forum-mention-summary = Find a member to mention
forum-mention-hint = Only members you may find in the member search are listed. Choosing one adds @[their name] to the end of your text; nothing is posted yet.
forum-mention-find = Find
forum-mention-choose = { $count ->
    [one] One member found: choose to mention them
   *[other] { $count } members found: choose whom to mention
}
forum-mention-add = Mention
forum-mention-added = { $mention } is added to the end of your text.
forum-reactions-summary = Reactions:
forum-reaction-yours = including yours
forum-post-more = React and more
forum-post-page-title = Post { $number } in “{ $title }”
forum-post-back = Back to the post in the topic
forum-post-react-title = React
forum-post-react-hint = A reaction tells the writer their post was read and valued. Press a pressed reaction again to take it back.
forum-post-more-title = More you can do
