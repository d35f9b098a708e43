# Passkeys: die Liste des Mitglieds, einen hinzufügen (braucht JavaScript)
# und die Anmeldung damit auf der Seite für den zweiten Schritt.

passkeys-title = Passkeys
passkeys-intro = Mit einem Passkey bestätigen Sie mit Ihrem Fingerabdruck, Ihrem Gesicht oder der Bildschirmsperre Ihres Geräts, dass wirklich Sie es sind, statt einen Code einzutippen. Er ist der zweite Schritt nach Ihrem Passwort. Sie können mehrere hinzufügen, zum Beispiel auf Ihrem Telefon und Ihrem Computer.
passkeys-required = Ihr Verein verlangt bei der Anmeldung einen zweiten Schritt. Ein Passkey zählt dafür, ebenso die Authenticator-App.
passkeys-caption = Ihre Passkeys
passkeys-col-name = Name
passkeys-col-created = Hinzugefügt
passkeys-col-last-used = Zuletzt benutzt
passkeys-col-action = Aktion
passkeys-never-used = Noch nicht benutzt
passkeys-remove = Entfernen
passkeys-remove-password = Ihr Passwort
passkeys-none = Sie haben noch keinen Passkey hinzugefügt.
passkeys-add-title = Passkey hinzufügen
passkeys-name-label = Name (freiwillig)
passkeys-name-hint = Damit Sie Ihre Passkeys auseinanderhalten können, zum Beispiel „Telefon“ oder „Laptop“. Höchstens 60 Zeichen.
passkeys-password-label = Ihr Passwort
passkeys-password-hint = Zur Sicherheit geben Sie bitte zuerst Ihr Passwort ein. Wir teilen Ihnen per E-Mail mit, wenn ein Passkey hinzugefügt oder entfernt wird.
passkeys-add = Passkey hinzufügen
passkeys-needs-js = Um einen Passkey hinzuzufügen, braucht Ihr Browser JavaScript. Sie können stattdessen die Authenticator-App verwenden.
passkeys-unsupported = Dieser Browser kann keine Passkeys anlegen. Bitte versuchen Sie einen anderen Browser oder verwenden Sie die Authenticator-App.
passkeys-elsewhere = Passkeys für diesen Verein können nur unter { $origin } hinzugefügt und verwendet werden.
passkeys-unavailable = Passkeys sind auf diesem Server noch nicht verfügbar. Bitte verwenden Sie die Authenticator-App.
passkeys-working = Bitte folgen Sie den Anweisungen Ihres Browsers oder Geräts.
passkeys-cancelled = Es wurde nichts geändert: Der Vorgang wurde abgebrochen oder hat zu lange gedauert. Sie können es noch einmal versuchen.
passkeys-already = Auf diesem Gerät gibt es schon einen Passkey für Ihr Konto.
passkeys-failed = Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.
passkeys-name-problem = Der Name darf höchstens 60 Zeichen haben.
passkeys-password-problem = Bitte geben Sie Ihr aktuelles Passwort ein.
passkeys-wait = Es gab zu viele Versuche. Bitte warten Sie einige Minuten und versuchen Sie es dann noch einmal.
passkeys-codes-title = Ihre Wiederherstellungscodes
passkeys-codes-intro = Falls Sie Ihre Passkeys einmal verlieren, können Sie sich stattdessen mit einem dieser Codes anmelden. Jeder Code funktioniert einmal.
passkeys-codes-keep = Bitte bewahren Sie die Codes jetzt sicher auf, zum Beispiel ausgedruckt oder aufgeschrieben. Wir zeigen sie nur dieses eine Mal.
passkeys-codes-done = Ich habe meine Codes aufbewahrt – weiter
passkeys-notice-added = Ihr Passkey wurde hinzugefügt.
passkeys-notice-removed = Der Passkey wurde entfernt.
passkeys-back = Zurück zu Ihrem Konto

passkeys-sign-in-title = Oder mit einem Passkey
passkeys-sign-in-text = Wenn Sie auf diesem Gerät einen Passkey hinzugefügt haben, können Sie ihn statt eines Codes verwenden.
passkeys-use = Passkey verwenden
passkeys-signing-in = Angemeldet. Einen Moment …
