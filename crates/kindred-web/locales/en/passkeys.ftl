# Passkeys: the member's list, adding one (needs JavaScript), and signing in
# with one on the second-factor page.

passkeys-title = Passkeys
passkeys-intro = With a passkey you confirm that it is really you with your fingerprint, your face or the screen lock of your device, instead of typing a code. It is the second step after your password. You can add several, for example on your phone and on your computer.
passkeys-required = Your association asks for a second step when you sign in. A passkey counts, and so does the authenticator app.
passkeys-caption = Your passkeys
passkeys-col-name = Name
passkeys-col-created = Added
passkeys-col-last-used = Last used
passkeys-col-action = Action
passkeys-never-used = Not used yet
passkeys-remove = Remove
passkeys-remove-password = Your password
passkeys-none = You have not added a passkey yet.
passkeys-add-title = Add a passkey
passkeys-name-label = Name (optional)
passkeys-name-hint = So that you can tell your passkeys apart, for example "Phone" or "Laptop". At most 60 characters.
passkeys-password-label = Your password
passkeys-password-hint = To be safe, please enter your password first. We will tell you by e-mail when a passkey is added or removed.
passkeys-add = Add a passkey
passkeys-needs-js = Adding a passkey needs JavaScript in your browser. You can use the authenticator app instead.
passkeys-unsupported = This browser cannot create passkeys. Please try another browser, or use the authenticator app.
passkeys-elsewhere = Passkeys for this association can only be added and used at { $origin }.
passkeys-unavailable = Passkeys are not available on this server yet. Please use the authenticator app.
passkeys-working = Please follow the instructions of your browser or device.
passkeys-cancelled = Nothing was changed: the request was cancelled or took too long. You can try again.
passkeys-already = This device already holds a passkey for your account.
passkeys-failed = That did not work. Please try again.
passkeys-name-problem = The name can have at most 60 characters.
passkeys-password-problem = Please enter your current password.
passkeys-wait = There were too many attempts. Please wait a few minutes and try again.
passkeys-codes-title = Your recovery codes
passkeys-codes-intro = If you ever lose your passkeys, you can sign in with one of these codes instead. Each code works once.
passkeys-codes-keep = Please keep the codes in a safe place now, for example printed or written down. We show them only this once.
passkeys-codes-done = I have kept my codes – continue
passkeys-notice-added = Your passkey was added.
passkeys-notice-removed = The passkey was removed.
passkeys-back = Back to your account

passkeys-sign-in-title = Or use a passkey
passkeys-sign-in-text = If you added a passkey on this device, you can use it instead of a code.
passkeys-use = Use a passkey
passkeys-signing-in = Signed in. One moment…
