# In-app notifications (pages::notifications).
nav-notifications = Notifications
nav-notifications-unread = Notifications ({ $count } new)
notifications-title = Notifications
notifications-unread = { $count ->
    [one] You have 1 unread notification.
   *[other] You have { $count } unread notifications.
}
notifications-all-read = You have no unread notifications.
notifications-none = No notifications yet. You get one when someone replies to a topic you follow or mentions you.
notifications-new = New
notifications-in-topic = In the topic
notifications-mark-read = Mark as read
notifications-mark-all = Mark all as read
notifications-pages = Pages of notifications
notifications-first-page = Newest
notifications-next-page = Older
notifications-kind-reply = { $actor } replied
notifications-kind-reply-nobody = A new reply (posted anonymously)
notifications-kind-mention = { $actor } mentioned you
notifications-kind-mention-nobody = You were mentioned in an anonymous post
notifications-kind-moderation = { $actor } moderated your post
notifications-kind-moderation-nobody = The moderators acted on your post
notifications-kind-warning = { $actor } sent you a warning
notifications-kind-warning-nobody = The moderators sent you a warning
notifications-kind-crisis-report = { $actor }: someone may be in crisis — please look at the report now
notifications-kind-crisis-report-nobody = Someone may be in crisis — please look at the report now
notifications-kind-other = { $actor }: a new notification
notifications-kind-other-nobody = A new notification

account-notifications-link = Which notifications reach you by e-mail
notice-notification-settings-saved = Your notification settings are saved.
notification-settings-title = Notifications by e-mail
notification-settings-intro = In Kindred you always see every notification. Here you choose, for each kind, whether and how often it also reaches you by e-mail. Mails never contain what was written, only that something is new.
notification-settings-fixed = always by e-mail at once (staff on duty must not miss it)
notification-settings-save = Save the settings
notification-settings-back = Back to your account
notification-settings-invalid = Choose one of the offered options.
notification-kind-reply = Replies in topics you follow
notification-kind-mention = Someone mentions you
notification-kind-moderation = Moderators changed something of yours
notification-kind-warning = A warning from the moderators
notification-kind-crisis-report = A report that someone may be in crisis
notification-email-immediately = at once
notification-email-daily = once a day, gathered
notification-email-weekly = once a week, gathered
notification-email-never = never by e-mail
notification-kind-event-changed = An event you registered for changed
notification-kind-event-cancelled = An event you registered for was cancelled
notification-kind-event-promoted = A place became free for you at an event
notification-kind-event-reminder = Reminder a day before your events
notification-kind-message-request = Someone asks to write to you
