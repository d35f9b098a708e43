skip-to-content = Skip to content
nav-main = Main
nav-home = Home
nav-privacy = Your privacy
nav-accessibility = Accessibility
nav-language = Language
nav-more-label = More pages and your account
nav-more = More
nav-more-news = something new inside
footer-powered = Runs on Kindred: no advertising, no tracking, nothing loaded from other sites.
text-size-label = Text size
text-size-normal = Normal
text-size-large = Large
text-size-larger = Larger

## Confirmation of destructive actions (pages::confirm; the dialog of kindred.js)
confirm-cancel = Cancel
confirm-delete-post-title = Delete post?
confirm-delete-post-question = Are you sure you want to delete this post? Its text cannot be brought back.
confirm-delete-post-yes = Delete post
confirm-end-contact-title = End contact?
confirm-end-contact-question = Are you sure you want to end this contact? They will no longer see what you shared at your contacts' levels.
confirm-end-contact-yes = End contact
confirm-block-title = Block member?
confirm-block-question = Are you sure you want to block this member? Any contact between you ends and you will no longer see each other.
confirm-block-yes = Block
confirm-leave-group-title = Leave group?
confirm-leave-group-question = Are you sure you want to leave this group? To come back you may have to ask again.
confirm-leave-group-yes = Leave group
confirm-end-session-title = End session?
confirm-end-session-question = Are you sure you want to end this session? That device will have to sign in again.
confirm-end-session-yes = End session
confirm-leave-conversation-title = Leave conversation?
confirm-leave-conversation-question = Are you sure you want to leave this conversation? It disappears from your messages.
confirm-leave-conversation-yes = Leave conversation
confirm-unregister-event-title = Cancel registration?
confirm-unregister-event-question = Are you sure you want to cancel your registration for this event? Your place may go to someone else.
confirm-unregister-event-yes = Cancel registration
confirm-remove-passkey-title = Remove passkey?
confirm-remove-passkey-question = Are you sure you want to remove this passkey? You can no longer sign in with it. Enter your password to confirm.
confirm-remove-passkey-yes = Remove passkey
confirm-password-label = Your password
confirm-password-hint = The password you sign in with.
confirm-delete-category-title = Delete category?
confirm-delete-category-question = Are you sure you want to delete this category? Only an empty category can be deleted; this cannot be undone.
confirm-delete-category-yes = Delete category
confirm-revoke-batch-title = Revoke invitation codes?
confirm-revoke-batch-question = Are you sure you want to revoke all unused codes of this batch? Nobody can use them any more; this cannot be undone.
confirm-revoke-batch-yes = Revoke the codes
confirm-revoke-code-title = Revoke invitation code?
confirm-revoke-code-question = Are you sure you want to revoke this invitation code? Nobody can use it any more; this cannot be undone.
confirm-revoke-code-yes = Revoke the code
confirm-cancel-event-title = Cancel the event?
confirm-cancel-event-question = Are you sure you want to cancel this event? Everyone registered or waiting is told, and nobody can register any more.
confirm-cancel-event-yes = Cancel event
confirm-cancel-occurrence-title = Cancel this date?
confirm-cancel-occurrence-question = Are you sure you want to cancel this date of the series? Everyone registered or waiting is told.
confirm-cancel-occurrence-yes = Cancel this date

root-title = Kindred
root-intro = Kindred is a protected meeting place for self-help associations. Each association runs its own community here.
root-associations = Associations on this server
root-none = No association has been set up yet.

home-welcome-default = Welcome. This is a protected space where people in the same situation meet and talk openly.
home-levels-title = You decide who sees what
home-levels-intro = Everyone here uses a pseudonym. For every detail of your profile you choose from which level on others may see it, and you place each contact on a level:
home-privacy-link = How your privacy works
home-join-title = How to join
home-join-intro = Only people the association has verified can take part. After you create an account, the association verifies you in one of these ways:
admission-member-number = with your membership number
admission-letter = with a code sent to you by post
admission-invitation = with an invitation code from the association
admission-manual = by a person from the association who checks your request
home-crisis-title = Help in a crisis
home-crisis-intro = If you or someone else is in danger or needs help now, please call:
home-to-account = Your account and verification
member-home-title = Welcome, { $name }
member-home-welcome-title = Good to have you here
member-home-welcome-intro = Three first steps, each at your own pace:
member-home-step-profile = Complete your profile and choose who sees what
member-home-step-profile-why = every detail has its own level, and you place each contact on a level.
member-home-step-preview = See how others see you
member-home-step-group = Find a group of people in your situation
member-home-step-hello = Say hello in the forum
member-home-news-title = New for you
member-home-nothing-new = Nothing new for you since your last visit.
member-home-notifications-link = All notifications
member-home-all-notifications = All notifications ({ $count } unread)
member-home-unread-title = Topics with posts you have not read
member-home-unread-none = You have read every post in the topics below.
member-home-latest-title = Latest in the forum and your groups
member-home-latest-none = There are no topics yet.
member-home-forum-link = Go to the forum
member-home-groups-title = Your groups
member-home-groups-none = You are not in a group yet.
member-home-groups-link = Find groups
member-home-group-alias = here you are { $alias }
member-home-topic-in = In
member-home-messages-title = Messages
member-home-messages-unread = { $count ->
    [one] One unread message
   *[other] { $count } unread messages
}
member-home-messages-none = No unread messages.
member-home-messages-link = Your conversations
member-home-events-title = Upcoming events
member-home-events-none = No events are planned.
member-home-events-link = All events
member-home-event-cancelled = cancelled

level-1-explained = every verified member of the association.
level-2-explained = contacts you have placed on this level or higher.
level-3-explained = contacts you trust more, on this level or higher.
level-4-explained = contacts who may know who you are.

privacy-title = How your privacy works
privacy-intro = Your privacy is the most important thing here. This page explains in plain words what others can see of you, and what we never do.
privacy-pseudonym = You are known by a pseudonym that you choose. Other verified members always see your pseudonym, and nothing more unless you allow it.
privacy-levels-title = Four levels
privacy-private = You can also keep a detail private: then only you see it.
privacy-contacts = For each contact you choose the level they see of you. You can change it at any time, and the change applies at once, everywhere. A contact can ask you for a higher level; you decide, and they only learn your answer.
privacy-search-title = Search
privacy-search = Others can find you by a detail only if they are allowed to see that detail. You can also choose not to be found at all.
privacy-counts = Where the number of members of something is shown (a group, a statistic), a number below { $threshold } is never shown, so that nobody can be singled out; only a group's own moderators see how many it has.
privacy-staff-title = What the association's staff see
privacy-staff = Staff see only what they need for their work, and every time they look at personal data, at reports or at content hidden from members, it is recorded. Nobody, staff included, can find out who wrote an anonymous post.
privacy-third-parties-title = No third parties
privacy-third-parties = These pages load nothing from other websites: no advertising, no tracking, no fonts or videos from elsewhere. We set only one cookie, when you sign in.
privacy-data-title = Your data is yours
privacy-data = Health details, your photo and the message you send with a contact request are stored encrypted. You can change or remove every detail of your profile yourself, and withdraw your consent to health data at any time: your health details are then deleted at once.

accessibility-title = Accessibility
accessibility-intro = We want everyone to be able to use this site, including people who use a screen reader, a keyboard only, or large text.
accessibility-keyboard-title = Using a keyboard
accessibility-keyboard = Press Tab to move from link to link and Enter to follow a link. The first Tab shows a link that jumps straight to the content.
accessibility-text-title = Larger text
accessibility-text = You can make the text larger with the buttons at the bottom of each page, or with your browser's zoom (Ctrl and +). The pages still work at double size.
accessibility-motion-title = Less motion, more contrast
accessibility-motion = If your device is set to reduce motion or to use high contrast, these pages follow that setting.
accessibility-js-title = Without JavaScript
accessibility-js = Every page works without JavaScript. Scripts only add small conveniences.
accessibility-report-title = Tell us about a problem
accessibility-report = If something is hard to use, please tell the association. We aim to meet WCAG 2.2 level AA.

error-not-found-title = Page not found
error-not-found-text = There is nothing at this address. Perhaps the link is old or mistyped.
error-method-not-allowed-title = Not possible here
error-method-not-allowed-text = This page cannot be used in this way.
error-timeout-title = This took too long
error-timeout-text = The request took too long. Please try again.
error-too-large-title = Too much data
error-too-large-text = What you sent is too large.
error-rate-limited-title = Please slow down
error-rate-limited-text = There were too many requests. Please wait a moment and try again.
error-bad-request-title = Something is wrong with the request
error-bad-request-text = The request could not be understood.
error-server-error-title = Something went wrong
error-server-error-text = An error happened on our side. Please try again later.
error-status = Error code: { $status }
error-home-link = Go to the start page

## Times relative to now (pages::text::when); the exact time stands beside them.
when-now = just now
when-minutes-ago = { $count ->
    [one] 1 minute ago
   *[other] { $count } minutes ago
}
when-minutes-ahead = { $count ->
    [one] in 1 minute
   *[other] in { $count } minutes
}
when-hours-ago = { $count ->
    [one] 1 hour ago
   *[other] { $count } hours ago
}
when-hours-ahead = { $count ->
    [one] in 1 hour
   *[other] in { $count } hours
}
when-days-ago = { $count ->
    [one] 1 day ago
   *[other] { $count } days ago
}
when-days-ahead = { $count ->
    [one] in 1 day
   *[other] in { $count } days
}

## Legal pages (terms of use, imprint, contact), set in the association's [legal] settings
footer-legal-nav = Legal information
legal-terms-title = Terms of use
legal-terms-version = Version { $version }. Registering means agreeing to this version.
legal-terms-default-1 = { $association } offers this community to people who live with an illness and to those close to them. Be kind, and respect that everyone decides for themselves what they share and with whom.
legal-terms-default-2 = What you learn about others here stays here. Do not pass on what others shared with you, and do not try to find out who is behind a pseudonym or an alias.
legal-terms-default-3 = Experiences shared here are not medical advice. Talk to your doctor before you change a treatment. In an emergency, call the emergency number.
legal-terms-default-4 = The moderators may hide posts and suspend accounts that break these rules. You may end your membership at any time, take your data with you and have it erased.
legal-terms-register = Register with this association
legal-imprint-title = Imprint
legal-imprint-default-1 = This community is run by { $association }.
legal-imprint-default-2 = The association has not yet published the details of its imprint (address, who represents it, register entry) here. Please use the contact page to reach it.
legal-contact-title = Contact
legal-contact-default-1 = You can reach { $association } with questions, suggestions or a problem with this site. Signed-in members can also write to the moderators.
legal-contact-email = E-mail:
accessibility-report-email = Write to
accessibility-report-contact = Other ways to reach the association:
