# Accounts, admission and staff pages. Plain, warm words: many readers live
# with a chronic illness, or care for someone who does.

nav-sign-in = Sign in
nav-register = Register
nav-account = My account
nav-staff = Staff
nav-sign-out = Sign out

error-forbidden-title = Not allowed
error-forbidden-text = You may not open this page.

## Forms

form-problems-title = Please check the following
form-error-prefix = Error:
form-error-title-prefix = Error:
form-all-needed = Please fill in every field.

field-email = E-mail address
field-pseudonym = Pseudonym
field-password = Password
field-new-password = New password
field-current-password = Current password
field-code = Code
field-app-code = Code from the app
field-member-number = Membership number
field-postcode = Postcode
field-birth-date = Date of birth
field-full-name = Full name
field-street = Street and house number
field-city = Town or city
field-letter-code = Code from the letter
field-invitation-code = Invitation code

password-rules = At least 10 characters. There are no other rules: a sentence you can easily remember is a good choice.
birth-date-hint = For example 17.03.1968 or 1968-03-17.

problem-email-invalid = Please enter an e-mail address like name@example.org.
problem-password-too-short = The password needs at least 10 characters.
problem-password-too-long = The password can have at most 1024 characters.
problem-password-common = This password is one of the most common ones and easy to guess. Please choose another one.
problem-pseudonym-length = The pseudonym needs 3 to 60 characters.
problem-pseudonym-characters = The pseudonym may only contain letters, digits, spaces and the signs . _ -
problem-pseudonym-unusual = The pseudonym may not contain invisible characters or special forms of letters (such as full-width letters).
problem-pseudonym-mixed-scripts = The pseudonym may not mix letters of different scripts (such as Latin and Cyrillic).
problem-pseudonym-taken = Someone here already uses this pseudonym, or one that looks just like it. Please choose another one.
problem-terms-not-accepted = Please agree to the terms of use and the privacy notice. Without your agreement we cannot create an account.
problem-password-wrong = This is not your current password.
problem-password-confirm = Please enter your password to confirm this change.
problem-code-wrong = This code is not right, or it was already used. Please check it and try again.

refused-title = This form could not be sent
refused-text = For your safety, we only accept forms that come from this site and from the session in which they were shown.
refused-hint = Perhaps the page was open for a long time, or you signed out in another window. Please go back, reload the page and try again.

wait-title = Please wait a little
wait-text = There were too many attempts in a short time. To protect your account, we have paused this for now.
wait-minutes = Please try again in { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    }.
wait-hours = Please try again in { $hours } hours.

## Registration and e-mail

check-mail-title = Please check your mail
check-mail-spam = If nothing arrives, please also look in your spam folder.
register-sent-text = If this address can be used for a new account, you will get a mail with a link within a few minutes.
register-sent-next = Open the link to confirm your address. After that you can sign in and choose how the association verifies you.

register-title = Create an account
register-intro = Step 1 of 2: create your account. After that, the association checks that you may take part (step 2).
register-email-hint = We send you a link to confirm it. Other members never see your address.
register-pseudonym-hint = The name others see here. Choose one that does not give away who you are. 3 to 60 characters: letters, digits, spaces and . _ -
register-terms-legend = Terms of use and privacy
register-terms-hint = Version { $version } of the terms of use and the privacy notice applies.
register-privacy-link = Read how your privacy works
register-terms-label = I agree to the association's terms of use and privacy notice.
register-submit = Create account
register-have-account = Do you already have an account?

bad-link-title = This link does not work
bad-link-text = The link is incomplete, has expired or was already used.
bad-link-confirm-next = You can ask for a new link: sign in, and on your account page press "Send the link again".
bad-link-reset-next = Please ask for a new link to choose your password. It works for one hour.
bad-link-sign-in = Sign in
bad-link-new-reset = Ask for a new link

confirm-title = Confirm your e-mail address
confirm-intro = Please press the button to confirm that this e-mail address is yours.
confirm-submit = Confirm my e-mail address
confirm-why = We ask you to press a button so that programs which check links in mails cannot confirm the address in your name.
confirmed-title = Thank you, your address is confirmed
confirmed-text = Your e-mail address is confirmed.
confirmed-next = Next step: sign in and choose how the association can verify you.
confirmed-sign-in = Sign in
confirmed-to-account = Go to your account
confirmed-pseudonym-taken = The pseudonym you chose is already used here, or one that looks just like it. Please sign in and choose another one.

## Signing in

sign-in-title = Sign in
sign-in-submit = Sign in
sign-in-forgot = Forgot your password?
sign-in-new = New here?
sign-in-wrong = The e-mail address or the password is wrong.
sign-in-suspended = This account is suspended. If you think this is a mistake, please contact the association.

second-factor-title = One more step: your code
second-factor-intro = Your account is protected with a second step. Please enter the code your authenticator app shows, or one of your recovery codes, or use a passkey.
second-factor-hint = 6 digits from the app. If you do not have your phone at hand, enter one of your recovery codes instead.
second-factor-submit = Continue
second-factor-cancel = Cancel and sign out

forgot-title = Forgot your password?
forgot-intro = Enter the e-mail address of your account. We will send you a link to choose a new password.
forgot-submit = Send link
forgot-back = Back to signing in
forgot-sent-text = If there is an account with this address, you will get a mail with a link within a few minutes.
forgot-sent-next = The link works for one hour.

reset-title = Choose a new password
reset-intro = After saving, you are signed out everywhere. Then you can sign in with your new password.
reset-submit = Save new password

## Notices after an action

notice-signed-out = You are signed out. See you soon!
notice-password-reset = Your new password is set. Please sign in with it.
notice-confirmation-sent = We sent you a new link. Please check your mail.
notice-verified = Welcome! Your account is verified.
notice-letter-requested = Thank you. The association will send you a letter with a code. This can take a few days.
notice-manual-requested = Thank you. Someone from the association will look at your request.
notice-password-changed = Your password is changed. Your other sessions have ended.
notice-session-ended = The session has ended.
notice-two-factor-removed = The authenticator app is removed. Signing in now needs only your password.
notice-approved = The member is verified now and gets a mail.
notice-already-done = This was already done in the meantime. Here is how things stand now.
notice-role-changed = The role is changed.
notice-imported = The member list is imported: { $count ->
        [one] one entry
       *[other] { $count } entries
    }.

## The account page

account-title = Your account
account-signed-in-as = You are signed in as { $pseudonym }.
account-standing-title = Where you stand
account-step = Step { $step } of 2:
account-unconfirmed = Please confirm your e-mail address. We sent a link to { $email }.
account-unconfirmed-help = The link works for 48 hours. If you cannot find the mail, we can send it again.
account-resend = Send the link again
account-unverified = Your e-mail address is confirmed. Now the association checks that you may take part. Until then, you cannot see the community yet.
account-waiting-manual = On { $since } you asked the association to check your account. Someone will look at it, and you will get a mail.
account-waiting-letter = On { $since } you asked for a letter with a code. When it arrives, please enter the code below.
account-choose-way = You can use any of these ways:
account-active = Your account is verified. Welcome to the community!
account-to-home = Go to the start page
account-needs-second-factor = The association asks you to protect your account with two-step sign-in before you use the community or the staff pages.
account-two-factor-link = Two-step sign-in
account-settings-title = Your settings
account-email-is = Your e-mail address: { $email }
account-sessions-link = Where you are signed in
account-password-link = Change your password
account-staff-link = Staff work
back-to-account = Back to your account

admission-title-member-number = With your membership number
admission-title-letter = With a letter by post
admission-title-invitation = With an invitation code
admission-title-manual = Checked by a person

verify-member-number-intro = If you are a member of the association, enter your details as the association knows them. Your account is then verified at once.
verify-member-number-hint = As on your membership card or in letters from the association.
verify-member-number-submit = Verify me
verify-member-number-no-match = These details do not match the association's member list. Please check them and try again, or choose another way.
verify-letter-intro = We send you a letter with a code. Your address is used only for this letter and is deleted once you have entered the code.
verify-letter-submit = Send me a letter
verify-letter-again-title = Letter not arrived? Ask for a new one
verify-letter-code-hint = 8 letters and digits, like ABCD-EFGH. Capitals and hyphens do not matter.
verify-letter-code-submit = Confirm code
verify-letter-problem-full_name = Please enter your name, on one line.
verify-letter-problem-street = Please enter your street and house number, on one line.
verify-letter-problem-postcode = Please enter your postcode (at most 12 characters).
verify-letter-problem-city = Please enter your town or city, on one line.
verify-no-letter = No letter with a code is waiting for you, or its code has expired. Please ask for a new letter.
verify-letter-code-used-up = This code no longer works after five wrong attempts. Please ask for a new letter below.
verify-code-wrong = This code is not right, has expired or was already used. Please check it and try again.
verify-invitation-intro = Did the association give you an invitation code? Enter it here.
verify-invitation-hint = 12 letters and digits, like ABCD-EFGH-JKMN. Capitals and hyphens do not matter.
verify-invitation-submit = Use code
verify-manual-intro = A person from the association checks your request and verifies you by hand. This can take a few days.
verify-manual-submit = Ask the association to check my account
verify-manual-waiting = Your request is with the association. You will get a mail when it is done.

## Sessions, password, two-step sign-in

sessions-title = Where you are signed in
sessions-intro = These are the browsers and apps that are signed in to your account. If you do not recognise one, end it and change your password.
sessions-caption = Your sessions, most recently used first
sessions-program = Program
sessions-kind = Type
sessions-created = Signed in
sessions-last-used = Last used
sessions-action = Action
sessions-this = this session
sessions-end = End session
sessions-kind-web = Web page
sessions-kind-api = App
sessions-client-unknown = Unknown program

password-title = Change your password
password-intro = Enter your current password and a new one. Your other sessions end; here you stay signed in.
password-submit = Change password

pseudonym-title = Choose a new pseudonym
pseudonym-intro = The pseudonym you chose at registration is already used here, or one that looks just like it. Please choose another one; only you were told.
pseudonym-submit = Save pseudonym

two-factor-title = Two-step sign-in
two-factor-intro = With two-step sign-in you need your password and a code from an app on your phone (an authenticator app). Then a password alone is not enough to get into your account.
two-factor-required = The association asks you to use it.
two-factor-active = Two-step sign-in is switched on. You have { $count ->
        [one] one unused recovery code
       *[other] { $count } unused recovery codes
    }.
two-factor-remove-title = Remove the authenticator app
two-factor-remove-intro = After that, signing in needs only your password, unless you also have a passkey.
two-factor-remove-required = Your association asks you to use two-step sign-in; without it, you cannot use the community.
two-factor-remove-password-hint = To be safe, please enter your password.
two-factor-remove-submit = Remove authenticator app
two-factor-start = Set up an authenticator app
two-factor-step1-title = Step 1: add your account to the app
two-factor-step1-text = Open your authenticator app and add a new account. Then scan the QR code.
two-factor-qr-alt = QR code for your authenticator app. The same key is shown below as text.
two-factor-qr-caption = Scan this code with your authenticator app.
two-factor-secret-label = Cannot scan? Type this key into the app instead:
two-factor-step2-title = Step 2: enter the code from the app
two-factor-code-hint = The app now shows a code of 6 digits. It changes every 30 seconds.
two-factor-confirm-password-hint = To be safe, please also enter your password. We will tell you by e-mail that two-step sign-in was switched on.
two-factor-confirm-submit = Switch on two-step sign-in

recovery-title = Your recovery codes
recovery-intro = Two-step sign-in is switched on. If you ever lose your phone, you can sign in with one of these codes instead of a code from the app. Each code works once.
recovery-keep = Please keep them somewhere safe now, for example printed or written down. We show them only this once.

role-admin = Admin
role-moderator = Moderator
role-professional = Professional
role-member = Member

## Staff

procedure-member-number = Membership number
procedure-letter = Letter by post
procedure-invitation = Invitation code
procedure-manual = Check by a person
procedure-none = Not chosen yet

staff-title = Staff work
staff-intro = Here you handle the admission of new members.
staff-admission-title = Admission
staff-administration-title = Administration
staff-verifications-title = Waiting for verification
staff-verifications-about = People who confirmed their e-mail address and are waiting for the association.
staff-member-list-title = Member list
staff-member-list-about = Upload the list against which membership numbers are checked.
staff-letters-title = Letters to send
staff-letters-about = Addresses and codes for letters by post, and a PDF to print.
staff-invitations-title = Invitation codes
staff-invitations-about = Create codes that verify an account at once.
staff-roles-title = Roles
staff-roles-about = Who is admin, moderator or professional.
staff-audit-title = Audit log
staff-audit-about = Every staff action and every look at personal data.
staff-audited = Every look at personal data on these pages is recorded in the audit log.
staff-back = Back to staff work
staff-denied-title = Only for the association's staff
staff-denied-text = This page is for the association's staff.
staff-denied-second-factor = The staff pages need two-step sign-in. Please set up an authenticator app first.
staff-verifications-intro = These people have confirmed their e-mail address and are waiting to be verified. Approve someone only when you are sure they may take part.
staff-verifications-caption = { $count ->
        [one] One person is waiting
       *[other] { $count } people are waiting
    }
staff-verifications-none = Nobody is waiting right now.
staff-pseudonym = Pseudonym
staff-procedure = Way chosen
staff-since = Waiting since
staff-approve = Approve
staff-note = Note (optional)
staff-approve-submit = Approve
staff-note-too-long = The note is too long. Please keep it under 2000 characters.

member-list-intro = Paste the association's member list here, as CSV. The new list replaces the previous one.
member-list-privacy = The list is not stored as it is: only keyed fingerprints of each line are kept, enough to check an entry but not to read it.
member-list-label = Member list (CSV)
member-list-hint = First line: member_number,postcode,birth_date. Then one member per line, for example 10023,50667,17.03.1968. A semicolon works as separator too.
member-list-submit = Import list
member-list-empty = Line { $line }: the list is empty. The first line must be member_number,postcode,birth_date.
member-list-header = Line { $line }: the first line must be member_number,postcode,birth_date.
member-list-columns = Line { $line }: 3 columns are needed (membership number, postcode, date of birth), but there are { $found }.
member-list-quotes = Line { $line }: a quotation mark is not closed, or is in the middle of a value.
member-list-entry-member-number = Line { $line }: the membership number is not valid.
member-list-entry-postcode = Line { $line }: the postcode is not valid.
member-list-entry-birth-date = Line { $line }: the date of birth is not valid. Use for example 17.03.1968 or 1968-03-17.
member-list-too-many = Line { $line }: the list is too long. Please split it.
member-list-no-entries = The list has a first line but no members. An empty list would delete the stored one, so nothing was changed.

letters-intro = People who asked for a letter with a code. Print the letters and send them; with the code, people verify themselves. Addresses are deleted once the code is entered.
letters-pdf = Download { $count ->
        [one] the letter
       *[other] all { $count } letters
    } as a PDF for printing
letters-caption = Letters waiting to be sent
letters-code = Code
letters-none = No letters are waiting.

invitations-intro = Each code verifies one account at once, for example for the leaders of local groups. A code works once and for 90 days.
invitations-new-title = { $count ->
        [one] Your new code
       *[other] Your { $count } new codes
    }
invitations-once = Copy them now: they are shown only this once.
invitations-count = How many codes?
invitations-count-hint = From 1 to { $max }.
invitations-count-problem = Please enter a number from 1 to { $max }.
invitations-submit = Create codes

roles-intro = Admins look after the association's settings and staff; moderators handle admission and moderation; professionals answer with a badge next to their pseudonym.
roles-of = Role of { $pseudonym }
roles-current = Current role: { $role }.
roles-role = Role
roles-badge = Badge (optional)
roles-badge-hint = Only for professionals, for example "Neurologist". Shown next to the pseudonym.
roles-submit = Save role
roles-find-title = Find a member
roles-find-hint = The pseudonym as the member uses it.
roles-find-submit = Find
roles-not-found = No member has this pseudonym. Please check the spelling.
roles-list-title = Staff and professionals
roles-list-caption = Everyone with a role other than member
roles-list-none = Nobody has a special role yet.
roles-change = Change role
roles-role-problem = Please choose a role.
roles-badge-problem = The badge can be one line of at most 60 characters.
roles-own-admin = You cannot take away your own admin role. Another admin can do that.

audit-intro = Every action of the staff and every look at personal data, newest first. The log cannot be changed.
audit-caption = Audit log entries, newest first
audit-when = When
audit-who = Who
audit-what = What
audit-whom = Concerning
audit-detail = Details
audit-none = The log is empty.
audit-pages = Pages of the audit log
audit-older = Older entries
audit-newest = Newest entries
audit-unknown-member = (deleted account)
audit-action-verifications-viewed = Looked at the verification queue
audit-action-member-approved = Verified a member
audit-action-member-suspended = Suspended a member
audit-action-member-reinstated = Ended a suspension
audit-action-member-role-changed = Changed a role
audit-action-roles-viewed = Looked at the roles
audit-action-member-viewed = Looked up a member
audit-action-member-list-imported = Imported the member list
audit-action-letter-viewed = Looked at a letter address
audit-action-invitations-created = Created invitation codes
audit-action-audit-log-viewed = Looked at the audit log
audit-action-member-refused = A request about a member was refused
audit-action-letters-viewed = Looked at the letters to print
audit-action-reports-viewed = Looked at the reports
audit-action-moderation-history-viewed = Looked at a moderation history
audit-action-topic-hidden-viewed = Looked at a hidden topic
audit-action-topic-hidden-listed = Saw a hidden topic in a topic list
audit-action-post-hidden-viewed = Looked at a hidden post
two-factor-passkeys-title = Passkeys
two-factor-passkeys-text = A passkey lets you confirm your sign-in with your fingerprint, face or device PIN instead of a code.
two-factor-passkeys-link = Manage passkeys

staff-members-title = Members: find, suspend, reinstate
staff-members-about = Find members by part of their pseudonym, role or status; stop an account from signing in, for example after abuse, and let it back in later.
members-intro = A suspended member is signed out everywhere at once and cannot sign in until reinstated. Both are recorded in the audit log with your note.
members-status = Status: { $status }
members-note = Note for the audit log
members-note-hint = Why? Other staff will read it. At most 2000 characters.
members-suspend = Suspend this account
members-reinstate = Reinstate this account
members-note-problem = The note can be at most 2000 characters.
members-wrong-state = This account cannot be changed here: your own account, an admin's (for moderators), or one that is not suspended.
member-status-email-unconfirmed = e-mail address not confirmed yet
member-status-unverified = waiting for verification
member-status-active = active
member-status-suspended = suspended
# Staff tools at volume (issue 14): one applicant, the directory, invitation batches.
staff-count-waiting = { $count ->
    [0] (nobody waiting)
   *[other] ({ $count } waiting)
}
staff-count-letters = { $count ->
    [0] (none to print)
   *[other] ({ $count } to print)
}
applicant-open = what they entered
applicant-title = Request of { $pseudonym }
applicant-intro = What this person entered when they registered and asked to be verified. Looking at it is recorded in the audit log.
applicant-registered = Registered
applicant-email = E-mail address
applicant-address = Name and postal address for the letter
applicant-decline-title = Decline
applicant-decline-about = The request leaves the queue and a pending letter address is deleted. The person gets your message by e-mail and may ask again.
applicant-decline-message = Message to the person
applicant-decline-hint = Sent by e-mail exactly as written, without your name. Say what is missing or how to ask again; at most 2000 characters.
applicant-decline-submit = Decline and send the message
applicant-decline-problem = Please write a message of at most 2000 characters.
applicant-back = Back to the queue
notice-declined = The request is declined; the person gets your message by e-mail.
notice-invitations-revoked = { $count ->
    [0] There were no unused codes left to revoke.
    [one] One code is revoked. It no longer works.
   *[other] { $count } codes are revoked. They no longer work.
}
invitations-create-title = New codes
invitations-label = Label
invitations-label-hint = Optional: for whom or where the codes are, e.g. "group leaders, May". At most { $max } characters.
invitations-label-problem = The label must be one line of at most { $max } characters.
invitations-batches-title = Codes created so far
invitations-batches-caption = Batches of codes, newest first
invitations-batches-none = No codes were created yet.
invitations-created = Created
invitations-expires = Valid until
invitations-codes = Codes
invitations-used = Used
invitations-open = Still usable
invitations-revoke = Revoke
invitations-no-label = (no label)
invitations-revoked-count = { $count } revoked
invitations-revoke-batch = { $count ->
    [one] Revoke the unused code
   *[other] Revoke the { $count } unused codes
}
invitations-revoke-code-title = Revoke a single code
invitations-revoke-code-label = Code
invitations-revoke-code-hint = A code that was lost or given to the wrong person. Spaces and dashes do not matter.
invitations-revoke-code-submit = Revoke this code
invitations-revoke-unknown = There is no unused code like this. It may have been used, revoked or mistyped.
invitations-revoke-malformed = This is not an invitation code. Please check it and type it again.
directory-find-title = Find members
directory-text = Pseudonym or part of it
directory-text-hint = Leave empty to list everyone. Upper and lower case do not matter.
directory-text-problem = Please enter at most 64 characters.
directory-filter-problem = Please choose one of the options.
directory-status = Status
directory-any = Any
directory-submit = Show members
directory-title = Members
directory-caption = { $count ->
    [one] One member on this page
   *[other] { $count } members on this page
}
directory-joined = Registered
directory-choose = Choose
directory-none = No member matches.
directory-next = Next page
audit-action-verification-viewed = Looked at a request for verification
audit-action-member-declined = Declined a request for verification
audit-action-members-listed = Looked at the member directory
audit-action-invitations-viewed = Looked at the invitation codes
audit-action-invitations-revoked = Revoked invitation codes
notice-member-suspended = The account is suspended and signed out everywhere.
notice-member-reinstated = The account is active again.

## Members flagged to staff

staff-flags-title = Flagged members
staff-flags-about = Members who opened profiles or searched faster than a person reads.
flags-intro = These members opened other members' profiles or ran searches much faster than a person reads, which can mean someone is copying the member directory. They were stopped for a while. Look at what they did and suspend the account if it is misused.
flags-caption = { $count ->
        [one] One flag, newest first
       *[other] { $count } flags, newest first
    }
flags-when = When
flags-reason = Why
flags-action = Suspend or reinstate
flags-open = Suspend or reinstate…
flags-none = No one has been flagged.
flags-reason-profile-views = Opened more than { $limit } other profiles within { $minutes } minutes
flags-reason-photo-views = Loaded more than { $limit } photos of other members within { $minutes } minutes
flags-reason-member-searches = Ran more than { $limit } member searches within { $minutes } minutes
audit-action-flags-viewed = Looked at the flagged members

## Language and time zone (account/preferences)
account-preferences-link = Language and time zone
preferences-title = Language and time zone
preferences-intro = Pages and e-mails come in the language you choose here, on every device, and links in e-mails open in it. Times are shown in your time zone.
preferences-language = Language
preferences-language-hint = A language chosen on a page with the language switch applies to that visit only.
preferences-time-zone = Time zone
preferences-time-zone-hint = Where you live: times such as "2 hours ago" and the exact time beside them follow it.
preferences-zone-association = The association's time zone ({ $zone })
preferences-save = Save
preferences-invalid-language = Choose one of the offered languages.
preferences-invalid-time-zone = Choose a time zone from the list.
notice-preferences-saved = Your language and time zone are saved.
register-terms-link = Read the terms of use
## Your data: consents and erasing the account (pages::consents, pages::erasure)
account-your-data-title = Your data
account-consents-link = What you consented to
account-delete-link = Delete your account
consents-title = Your consents
consents-intro = What you agreed to, in which version and when. You can withdraw your consent to health information here at any time.
consents-caption = Consents you gave
consents-col-what = Consent
consents-col-version = Version
consents-col-given = Given
consents-col-withdraw = Withdraw
consents-kind-terms = Terms of use and privacy notice
consents-kind-health = Storing your health information
consents-withdraw = Withdraw
consents-health-withdraw-hint = All your health information is deleted at once and can no longer be found in search.
consents-terms-withdraw = Only by deleting your account
consents-none = You have not given any consent yet.
consents-withdrawn = Your consent is withdrawn. All your health information has been deleted.
erase-title = Delete your account
erase-intro = Deleting your account cannot be undone. Nobody, staff included, can bring it back.
erase-what-title = What happens
erase-what-profile = Your profile, photo, e-mail address, password and everything you entered about yourself are deleted.
erase-what-contacts = Your contacts, requests, blocks, group memberships and aliases are deleted.
erase-what-messages = Your messages are deleted for everyone; conversations with only one other person are deleted entirely.
erase-what-events = Your event registrations are taken back; the next person waiting gets your place.
erase-what-sessions = You are signed out everywhere: every session, app token and passkey stops working at once.
erase-what-pseudonym = Your pseudonym stays reserved for { $days } days, so that nobody else can use it straight away.
erase-what-backups = Backups made before today still contain your data until they are deleted in turn; your encrypted health information in them stays unreadable without the association's key.
erase-what-moment = Everything happens in the same moment: someone watching closely could link your pseudonym to your anonymous posts and your aliases in alias groups as they change together. If that matters, delete those posts (or leave those groups) some time before.
erase-posts-legend = What should happen to your forum posts?
erase-posts-delete = Delete them
erase-posts-delete-hint = Their text is removed. A note "deleted" stays in the discussions, so that replies still make sense.
erase-posts-anonymise = Keep them without my name
erase-posts-anonymise-hint = Others can still read them; they are shown as written by a former member, with no link to you.
erase-posts-removed = Your forum posts will be deleted: their text is removed.
erase-posts-required = Choose what should happen to your posts.
erase-continue = Continue
erase-confirm-title = Confirm: delete your account
erase-confirm-warning = This is the last step. Once you confirm, your account and your data are deleted at once.
erase-confirm-delete = Your forum posts will be deleted.
erase-confirm-anonymise = Your forum posts will stay, shown as written by a former member.
erase-submit = Delete my account for good
erase-change-choice = Change my choice
erase-done-title = The account is deleted
erase-done-text = The account and its data have been deleted, and you are signed out.
## Your data: the export and who looked (service::export)
account-data-link = Your data: download a copy
account-access-log-link = Who looked at your data
data-title = Your data
data-intro = You can download a copy of everything we hold about you, as one ZIP file.
data-contents = It holds your account, your profile with who sees each field, your consents, contacts (only what each contact shows you now), requests, blocks, groups with your aliases, your topics and posts (anonymous ones too), reactions, events, conversations and messages, notifications, sessions, passkeys, your photo, and every access by staff to your data. The file data.json is for programs; index.html can be opened in any browser.
data-lifetime = We build the file in the background; this takes a moment. Once it is ready you can download it once, within 48 hours. After that it is deleted.
data-request = Prepare a copy of my data
data-exports-title = Your copies
data-exports-caption = Copies you asked for, newest first
data-requested = Asked for
data-state = State
data-action = Action
data-expires = until
data-download = Download
data-check-again = Check again
data-no-exports = You have not asked for a copy yet.
data-export-state-building = Being prepared
data-export-state-ready = Ready to download
data-export-state-downloaded = Downloaded (it can be downloaded only once)
data-export-state-expired = Expired
notice-export-requested = We are preparing your copy. Check again in a moment.
access-log-title = Who looked at your data
access-log-intro = Every time staff of the association look at or change your data, it is recorded. Here you see when it happened, what was done and the role of the person who did it.
access-log-caption = Accesses by staff to your data, newest first
access-log-when = When
access-log-what = What
access-log-who = Role
access-log-none = No staff member has accessed your data.
access-log-intro-named = Every time staff of the association look at or change your data, it is recorded. Here you see when it happened, what was done, the role of the person who did it and their pseudonym: your association chose to name its staff here.
access-log-name = Staff member
access-log-name-gone = (not named)
access-role-staff = Staff
access-action-verification-viewed = Looked at your admission request
access-action-member-viewed = Looked up your account
access-action-letter-viewed = Looked at your letter address to print it
access-action-member-approved = Approved your admission
access-action-member-refused = A request about your account was refused
access-action-member-suspended = Suspended your account
access-action-member-reinstated = Reinstated your account
access-action-member-role-changed = Changed your role
access-action-reported-messages-viewed = Read your messages that somebody reported

## Changed terms of use, asked again (issue 20)
terms-accept-title = The terms of use have changed
terms-accept-intro = You agreed to version { $previous } of the terms of use. The association has changed them to version { $version }. Please read them; to go on using the community, accept them below.
terms-accepted-already = You have accepted version { $version } of the terms of use, the current one.
terms-text-heading = Terms of use, version { $version }
terms-accept-button = I accept the terms of use (version { $version })
terms-accept-changed = The terms changed again while you were reading them. This is the current version.
terms-decline-title = If you do not accept them
terms-decline-intro = You cannot use the community without accepting the current terms. You can take your data with you and delete your account, or sign out and decide later.
terms-decline-export = Download your data
terms-decline-delete = Delete your account
terms-decline-sign-out = Sign out and decide later
community-denied-terms = The terms of use have changed. Please read and accept them first.
