# Konten, Aufnahme und Seiten für das Team. Einfache, freundliche Worte:
# Viele Leserinnen und Leser leben mit einer chronischen Krankheit oder
# begleiten jemanden, der es tut.

nav-sign-in = Anmelden
nav-register = Registrieren
nav-account = Mein Konto
nav-staff = Verwaltung
nav-sign-out = Abmelden

error-forbidden-title = Nicht erlaubt
error-forbidden-text = Diese Seite können Sie nicht öffnen.

## Formulare

form-problems-title = Bitte prüfen Sie Folgendes
form-error-prefix = Fehler:
form-error-title-prefix = Fehler:
form-all-needed = Bitte füllen Sie alle Felder aus.

field-email = E-Mail-Adresse
field-pseudonym = Pseudonym
field-password = Passwort
field-new-password = Neues Passwort
field-current-password = Bisheriges Passwort
field-code = Code
field-app-code = Code aus der App
field-member-number = Mitgliedsnummer
field-postcode = Postleitzahl
field-birth-date = Geburtsdatum
field-full-name = Vor- und Nachname
field-street = Straße und Hausnummer
field-city = Ort
field-letter-code = Code aus dem Brief
field-invitation-code = Einladungscode

password-rules = Mindestens 10 Zeichen. Weitere Regeln gibt es nicht: Ein Satz, den Sie sich gut merken können, ist eine gute Wahl.
birth-date-hint = Zum Beispiel 17.03.1968.

problem-email-invalid = Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.
problem-password-too-short = Das Passwort braucht mindestens 10 Zeichen.
problem-password-too-long = Das Passwort darf höchstens 1024 Zeichen lang sein.
problem-password-common = Dieses Passwort gehört zu den häufigsten und ist leicht zu erraten. Bitte wählen Sie ein anderes.
problem-pseudonym-length = Das Pseudonym braucht 3 bis 60 Zeichen.
problem-pseudonym-characters = Das Pseudonym darf nur Buchstaben, Ziffern, Leerzeichen und die Zeichen . _ - enthalten.
problem-pseudonym-unusual = Das Pseudonym darf keine unsichtbaren Zeichen und keine Sonderformen von Buchstaben (etwa Vollbreite-Buchstaben) enthalten.
problem-pseudonym-mixed-scripts = Das Pseudonym darf keine Buchstaben verschiedener Schriften mischen (etwa lateinische und kyrillische).
problem-pseudonym-taken = Dieses Pseudonym wird hier schon verwendet, oder eines, das genauso aussieht. Bitte wählen Sie ein anderes.
problem-terms-not-accepted = Bitte stimmen Sie den Nutzungsbedingungen und der Datenschutzerklärung zu. Ohne Ihre Zustimmung können wir kein Konto anlegen.
problem-password-wrong = Das ist nicht Ihr bisheriges Passwort.
problem-password-confirm = Bitte geben Sie Ihr Passwort ein, um diese Änderung zu bestätigen.
problem-code-wrong = Dieser Code stimmt nicht oder wurde schon verwendet. Bitte prüfen Sie ihn und versuchen Sie es noch einmal.

refused-title = Das Formular konnte nicht gesendet werden
refused-text = Zu Ihrer Sicherheit nehmen wir nur Formulare an, die von dieser Website und aus der Sitzung kommen, in der sie angezeigt wurden.
refused-hint = Vielleicht war die Seite lange geöffnet, oder Sie haben sich in einem anderen Fenster abgemeldet. Bitte gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.

wait-title = Bitte warten Sie einen Moment
wait-text = In kurzer Zeit gab es zu viele Versuche. Zum Schutz Ihres Kontos haben wir das vorerst angehalten.
wait-minutes = Bitte versuchen Sie es in { $minutes ->
        [one] einer Minute
       *[other] { $minutes } Minuten
    } noch einmal.
wait-hours = Bitte versuchen Sie es in { $hours } Stunden noch einmal.

## Registrierung und E-Mail

check-mail-title = Bitte schauen Sie in Ihr E-Mail-Postfach
check-mail-spam = Wenn nichts ankommt, schauen Sie bitte auch im Spam-Ordner nach.
register-sent-text = Wenn mit dieser Adresse ein neues Konto angelegt werden kann, erhalten Sie in wenigen Minuten eine E-Mail mit einem Link.
register-sent-next = Öffnen Sie den Link, um Ihre Adresse zu bestätigen. Danach können Sie sich anmelden und wählen, wie der Verein Sie bestätigt.

register-title = Konto anlegen
register-intro = Schritt 1 von 2: Sie legen Ihr Konto an. Danach prüft der Verein, ob Sie teilnehmen können (Schritt 2).
register-email-hint = Wir schicken Ihnen einen Link zur Bestätigung. Andere Mitglieder sehen Ihre Adresse nie.
register-pseudonym-hint = Der Name, den andere hier sehen. Wählen Sie einen, der nicht verrät, wer Sie sind. 3 bis 60 Zeichen: Buchstaben, Ziffern, Leerzeichen und . _ -
register-terms-legend = Nutzungsbedingungen und Datenschutz
register-terms-hint = Es gilt die Fassung { $version } der Nutzungsbedingungen und der Datenschutzerklärung.
register-privacy-link = So schützen wir Ihre Privatsphäre
register-terms-label = Ich stimme den Nutzungsbedingungen und der Datenschutzerklärung des Vereins zu.
register-submit = Konto anlegen
register-have-account = Haben Sie schon ein Konto?

bad-link-title = Dieser Link funktioniert nicht
bad-link-text = Der Link ist unvollständig, abgelaufen oder wurde schon verwendet.
bad-link-confirm-next = Sie können einen neuen Link anfordern: Melden Sie sich an und drücken Sie auf Ihrer Kontoseite „Link noch einmal senden“.
bad-link-reset-next = Bitte fordern Sie einen neuen Link an, um Ihr Passwort festzulegen. Er gilt eine Stunde lang.
bad-link-sign-in = Anmelden
bad-link-new-reset = Neuen Link anfordern

confirm-title = E-Mail-Adresse bestätigen
confirm-intro = Bitte drücken Sie auf die Schaltfläche, um zu bestätigen, dass diese E-Mail-Adresse Ihnen gehört.
confirm-submit = Meine E-Mail-Adresse bestätigen
confirm-why = Wir bitten Sie um diesen Klick, damit Programme, die Links in E-Mails prüfen, die Adresse nicht in Ihrem Namen bestätigen.
confirmed-title = Danke, Ihre Adresse ist bestätigt
confirmed-text = Ihre E-Mail-Adresse ist bestätigt.
confirmed-next = Nächster Schritt: Melden Sie sich an und wählen Sie, wie der Verein Sie bestätigen kann.
confirmed-sign-in = Anmelden
confirmed-to-account = Zu Ihrem Konto
confirmed-pseudonym-taken = Das gewählte Pseudonym wird hier schon verwendet, oder eines, das genauso aussieht. Bitte melden Sie sich an und wählen Sie ein anderes.

## Anmelden

sign-in-title = Anmelden
sign-in-submit = Anmelden
sign-in-forgot = Passwort vergessen?
sign-in-new = Neu hier?
sign-in-wrong = Die E-Mail-Adresse oder das Passwort ist falsch.
sign-in-suspended = Dieses Konto ist gesperrt. Wenn Sie glauben, dass das ein Irrtum ist, wenden Sie sich bitte an den Verein.

second-factor-title = Noch ein Schritt: Ihr Code
second-factor-intro = Ihr Konto ist mit einem zweiten Schritt geschützt. Bitte geben Sie den Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein, oder nutzen Sie einen Passkey.
second-factor-hint = 6 Ziffern aus der App. Wenn Sie Ihr Telefon nicht zur Hand haben, geben Sie stattdessen einen Ihrer Wiederherstellungscodes ein.
second-factor-submit = Weiter
second-factor-cancel = Abbrechen und abmelden

forgot-title = Passwort vergessen?
forgot-intro = Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort wählen können.
forgot-submit = Link senden
forgot-back = Zurück zur Anmeldung
forgot-sent-text = Wenn es ein Konto mit dieser Adresse gibt, erhalten Sie in wenigen Minuten eine E-Mail mit einem Link.
forgot-sent-next = Der Link gilt eine Stunde lang.

reset-title = Neues Passwort wählen
reset-intro = Nach dem Speichern sind Sie überall abgemeldet. Dann können Sie sich mit dem neuen Passwort anmelden.
reset-submit = Neues Passwort speichern

## Hinweise nach einer Aktion

notice-signed-out = Sie sind abgemeldet. Bis bald!
notice-password-reset = Ihr neues Passwort ist gespeichert. Bitte melden Sie sich damit an.
notice-confirmation-sent = Wir haben Ihnen einen neuen Link geschickt. Bitte schauen Sie in Ihr Postfach.
notice-verified = Willkommen! Ihr Konto ist bestätigt.
notice-letter-requested = Danke. Der Verein schickt Ihnen einen Brief mit einem Code. Das kann einige Tage dauern.
notice-manual-requested = Danke. Jemand vom Verein sieht sich Ihre Anfrage an.
notice-password-changed = Ihr Passwort ist geändert. Ihre anderen Sitzungen wurden beendet.
notice-session-ended = Die Sitzung ist beendet.
notice-two-factor-removed = Die Authenticator-App ist entfernt. Zum Anmelden genügt jetzt Ihr Passwort.
notice-approved = Das Mitglied ist jetzt bestätigt und erhält eine E-Mail.
notice-already-done = Das ist inzwischen schon geschehen. So ist der aktuelle Stand.
notice-role-changed = Die Rolle ist geändert.
notice-imported = Die Mitgliederliste ist eingelesen: { $count ->
        [one] ein Eintrag
       *[other] { $count } Einträge
    }.

## Die Kontoseite

account-title = Ihr Konto
account-signed-in-as = Sie sind angemeldet als { $pseudonym }.
account-standing-title = Ihr Stand
account-step = Schritt { $step } von 2:
account-unconfirmed = Bitte bestätigen Sie Ihre E-Mail-Adresse. Wir haben einen Link an { $email } geschickt.
account-unconfirmed-help = Der Link gilt 48 Stunden. Wenn Sie die E-Mail nicht finden, schicken wir sie gern noch einmal.
account-resend = Link noch einmal senden
account-unverified = Ihre E-Mail-Adresse ist bestätigt. Jetzt prüft der Verein, ob Sie teilnehmen können. Bis dahin sehen Sie die Gemeinschaft noch nicht.
account-waiting-manual = Am { $since } haben Sie den Verein gebeten, Ihr Konto zu prüfen. Jemand sieht es sich an, und Sie erhalten eine E-Mail.
account-waiting-letter = Am { $since } haben Sie einen Brief mit einem Code angefordert. Wenn er da ist, geben Sie den Code bitte unten ein.
account-choose-way = Sie können jeden dieser Wege nutzen:
account-active = Ihr Konto ist bestätigt. Willkommen in der Gemeinschaft!
account-to-home = Zur Startseite
account-needs-second-factor = Der Verein bittet Sie, Ihr Konto mit der Anmeldung in zwei Schritten zu schützen, bevor Sie die Gemeinschaft oder die Verwaltung nutzen.
account-two-factor-link = Anmeldung in zwei Schritten
account-settings-title = Ihre Einstellungen
account-email-is = Ihre E-Mail-Adresse: { $email }
account-sessions-link = Wo Sie angemeldet sind
account-password-link = Passwort ändern
account-staff-link = Verwaltung
back-to-account = Zurück zu Ihrem Konto

admission-title-member-number = Mit Ihrer Mitgliedsnummer
admission-title-letter = Mit einem Brief per Post
admission-title-invitation = Mit einem Einladungscode
admission-title-manual = Prüfung durch einen Menschen

verify-member-number-intro = Wenn Sie Mitglied im Verein sind, geben Sie Ihre Daten so ein, wie der Verein sie kennt. Ihr Konto ist dann sofort bestätigt.
verify-member-number-hint = Wie auf Ihrem Mitgliedsausweis oder in Briefen des Vereins.
verify-member-number-submit = Bestätigen
verify-member-number-no-match = Diese Angaben passen nicht zur Mitgliederliste des Vereins. Bitte prüfen Sie sie und versuchen Sie es noch einmal, oder wählen Sie einen anderen Weg.
verify-letter-intro = Wir schicken Ihnen einen Brief mit einem Code. Ihre Adresse wird nur für diesen Brief verwendet und gelöscht, sobald Sie den Code eingegeben haben.
verify-letter-submit = Brief anfordern
verify-letter-again-title = Brief nicht angekommen? Fordern Sie einen neuen an
verify-letter-code-hint = 8 Buchstaben und Ziffern, etwa ABCD-EFGH. Groß- und Kleinschreibung und Bindestriche spielen keine Rolle.
verify-letter-code-submit = Code bestätigen
verify-letter-problem-full_name = Bitte geben Sie Ihren Namen in einer Zeile ein.
verify-letter-problem-street = Bitte geben Sie Straße und Hausnummer in einer Zeile ein.
verify-letter-problem-postcode = Bitte geben Sie Ihre Postleitzahl ein (höchstens 12 Zeichen).
verify-letter-problem-city = Bitte geben Sie Ihren Ort in einer Zeile ein.
verify-no-letter = Für Sie wartet kein Brief mit Code, oder der Code ist abgelaufen. Bitte fordern Sie einen neuen Brief an.
verify-letter-code-used-up = Nach fünf falschen Versuchen gilt dieser Code nicht mehr. Bitte fordern Sie unten einen neuen Brief an.
verify-code-wrong = Dieser Code stimmt nicht, ist abgelaufen oder wurde schon verwendet. Bitte prüfen Sie ihn und versuchen Sie es noch einmal.
verify-invitation-intro = Hat der Verein Ihnen einen Einladungscode gegeben? Dann geben Sie ihn hier ein.
verify-invitation-hint = 12 Buchstaben und Ziffern, etwa ABCD-EFGH-JKMN. Groß- und Kleinschreibung und Bindestriche spielen keine Rolle.
verify-invitation-submit = Code verwenden
verify-manual-intro = Ein Mensch vom Verein prüft Ihre Anfrage und bestätigt Sie von Hand. Das kann einige Tage dauern.
verify-manual-submit = Verein um Prüfung meines Kontos bitten
verify-manual-waiting = Ihre Anfrage liegt beim Verein. Sie erhalten eine E-Mail, sobald sie erledigt ist.

## Sitzungen, Passwort, Anmeldung in zwei Schritten

sessions-title = Wo Sie angemeldet sind
sessions-intro = Diese Browser und Apps sind mit Ihrem Konto angemeldet. Wenn Sie einen Eintrag nicht kennen, beenden Sie ihn und ändern Sie Ihr Passwort.
sessions-caption = Ihre Sitzungen, zuletzt genutzte zuerst
sessions-program = Programm
sessions-kind = Art
sessions-created = Angemeldet am
sessions-last-used = Zuletzt genutzt
sessions-action = Aktion
sessions-this = diese Sitzung
sessions-end = Sitzung beenden
sessions-kind-web = Webseite
sessions-kind-api = App
sessions-client-unknown = Unbekanntes Programm

password-title = Passwort ändern
password-intro = Geben Sie Ihr bisheriges und ein neues Passwort ein. Ihre anderen Sitzungen werden beendet; hier bleiben Sie angemeldet.
password-submit = Passwort ändern

pseudonym-title = Neues Pseudonym wählen
pseudonym-intro = Das Pseudonym, das Sie bei der Registrierung gewählt haben, wird hier schon verwendet, oder eines, das genauso aussieht. Bitte wählen Sie ein anderes; nur Sie haben davon erfahren.
pseudonym-submit = Pseudonym speichern

two-factor-title = Anmeldung in zwei Schritten
two-factor-intro = Bei der Anmeldung in zwei Schritten brauchen Sie Ihr Passwort und einen Code aus einer App auf Ihrem Telefon (einer Authenticator-App). Dann reicht ein Passwort allein nicht, um in Ihr Konto zu kommen.
two-factor-required = Der Verein bittet Sie, sie zu nutzen.
two-factor-active = Die Anmeldung in zwei Schritten ist eingeschaltet. Sie haben { $count ->
        [one] einen unbenutzten Wiederherstellungscode
       *[other] { $count } unbenutzte Wiederherstellungscodes
    }.
two-factor-remove-title = Authenticator-App entfernen
two-factor-remove-intro = Danach genügt zum Anmelden Ihr Passwort, außer Sie haben auch einen Passkey.
two-factor-remove-required = Der Verein bittet Sie, die Anmeldung in zwei Schritten zu nutzen; ohne sie können Sie die Gemeinschaft nicht nutzen.
two-factor-remove-password-hint = Zur Sicherheit geben Sie bitte Ihr Passwort ein.
two-factor-remove-submit = Authenticator-App entfernen
two-factor-start = Authenticator-App einrichten
two-factor-step1-title = Schritt 1: Konto in der App hinzufügen
two-factor-step1-text = Öffnen Sie Ihre Authenticator-App und fügen Sie ein neues Konto hinzu. Scannen Sie dann den QR-Code.
two-factor-qr-alt = QR-Code für Ihre Authenticator-App. Derselbe Schlüssel steht unten als Text.
two-factor-qr-caption = Scannen Sie diesen Code mit Ihrer Authenticator-App.
two-factor-secret-label = Scannen geht nicht? Tippen Sie stattdessen diesen Schlüssel in die App ein:
two-factor-step2-title = Schritt 2: Code aus der App eingeben
two-factor-code-hint = Die App zeigt jetzt einen Code aus 6 Ziffern. Er wechselt alle 30 Sekunden.
two-factor-confirm-password-hint = Zur Sicherheit geben Sie bitte auch Ihr Passwort ein. Wir teilen Ihnen per E-Mail mit, dass die Anmeldung in zwei Schritten eingeschaltet wurde.
two-factor-confirm-submit = Anmeldung in zwei Schritten einschalten

recovery-title = Ihre Wiederherstellungscodes
recovery-intro = Die Anmeldung in zwei Schritten ist eingeschaltet. Falls Sie Ihr Telefon einmal verlieren, können Sie sich mit einem dieser Codes statt mit einem Code aus der App anmelden. Jeder Code funktioniert einmal.
recovery-keep = Bitte bewahren Sie die Codes jetzt sicher auf, zum Beispiel ausgedruckt oder aufgeschrieben. Wir zeigen sie nur dieses eine Mal.

role-admin = Administration
role-moderator = Moderation
role-professional = Fachperson
role-member = Mitglied

## Verwaltung

procedure-member-number = Mitgliedsnummer
procedure-letter = Brief per Post
procedure-invitation = Einladungscode
procedure-manual = Prüfung durch einen Menschen
procedure-none = Noch nicht gewählt

staff-title = Verwaltung
staff-intro = Hier kümmern Sie sich um die Aufnahme neuer Mitglieder.
staff-admission-title = Aufnahme
staff-administration-title = Administration
staff-verifications-title = Warten auf Bestätigung
staff-verifications-about = Menschen, die ihre E-Mail-Adresse bestätigt haben und auf den Verein warten.
staff-member-list-title = Mitgliederliste
staff-member-list-about = Die Liste hochladen, mit der Mitgliedsnummern geprüft werden.
staff-letters-title = Zu versendende Briefe
staff-letters-about = Adressen und Codes für Briefe per Post und ein PDF zum Drucken.
staff-invitations-title = Einladungscodes
staff-invitations-about = Codes erzeugen, die ein Konto sofort bestätigen.
staff-roles-title = Rollen
staff-roles-about = Wer Administration, Moderation oder Fachperson ist.
staff-audit-title = Protokoll
staff-audit-about = Jede Handlung der Verwaltung und jeder Blick auf persönliche Daten.
staff-audited = Jeder Blick auf persönliche Daten auf diesen Seiten wird im Protokoll festgehalten.
staff-back = Zurück zur Verwaltung
staff-denied-title = Nur für das Team des Vereins
staff-denied-text = Diese Seite ist für das Team des Vereins.
staff-denied-second-factor = Die Verwaltung braucht die Anmeldung in zwei Schritten. Bitte richten Sie zuerst eine Authenticator-App ein.
staff-verifications-intro = Diese Menschen haben ihre E-Mail-Adresse bestätigt und warten auf die Bestätigung durch den Verein. Bestätigen Sie jemanden nur, wenn Sie sicher sind, dass die Person teilnehmen darf.
staff-verifications-caption = { $count ->
        [one] Eine Person wartet
       *[other] { $count } Personen warten
    }
staff-verifications-none = Gerade wartet niemand.
staff-pseudonym = Pseudonym
staff-procedure = Gewählter Weg
staff-since = Wartet seit
staff-approve = Bestätigen
staff-note = Notiz (freiwillig)
staff-approve-submit = Bestätigen
staff-note-too-long = Die Notiz ist zu lang. Bitte bleiben Sie unter 2000 Zeichen.

member-list-intro = Fügen Sie hier die Mitgliederliste des Vereins als CSV ein. Die neue Liste ersetzt die bisherige.
member-list-privacy = Die Liste wird nicht so gespeichert, wie sie ist: Von jeder Zeile bleibt nur ein verschlüsselter Fingerabdruck. Damit lässt sich ein Eintrag prüfen, aber nicht lesen.
member-list-label = Mitgliederliste (CSV)
member-list-hint = Erste Zeile: member_number,postcode,birth_date. Danach ein Mitglied pro Zeile, zum Beispiel 10023,50667,17.03.1968. Auch ein Semikolon als Trennzeichen geht.
member-list-submit = Liste einlesen
member-list-empty = Zeile { $line }: Die Liste ist leer. Die erste Zeile muss member_number,postcode,birth_date lauten.
member-list-header = Zeile { $line }: Die erste Zeile muss member_number,postcode,birth_date lauten.
member-list-columns = Zeile { $line }: Es werden 3 Spalten gebraucht (Mitgliedsnummer, Postleitzahl, Geburtsdatum), es sind aber { $found }.
member-list-quotes = Zeile { $line }: Ein Anführungszeichen ist nicht geschlossen oder steht mitten in einem Wert.
member-list-entry-member-number = Zeile { $line }: Die Mitgliedsnummer ist nicht gültig.
member-list-entry-postcode = Zeile { $line }: Die Postleitzahl ist nicht gültig.
member-list-entry-birth-date = Zeile { $line }: Das Geburtsdatum ist nicht gültig. Schreiben Sie zum Beispiel 17.03.1968 oder 1968-03-17.
member-list-too-many = Zeile { $line }: Die Liste ist zu lang. Bitte teilen Sie sie auf.
member-list-no-entries = Die Liste hat eine erste Zeile, aber keine Mitglieder. Eine leere Liste würde die gespeicherte löschen, deshalb wurde nichts geändert.

letters-intro = Menschen, die einen Brief mit Code angefordert haben. Drucken Sie die Briefe und schicken Sie sie ab; mit dem Code bestätigen sich die Menschen selbst. Die Adressen werden gelöscht, sobald der Code eingegeben ist.
letters-pdf = { $count ->
        [one] Den Brief
       *[other] Alle { $count } Briefe
    } als PDF zum Drucken herunterladen
letters-caption = Briefe, die auf den Versand warten
letters-code = Code
letters-none = Es warten keine Briefe.

invitations-intro = Jeder Code bestätigt ein Konto sofort, zum Beispiel für die Leitungen der Ortsgruppen. Ein Code gilt einmal und 90 Tage lang.
invitations-new-title = { $count ->
        [one] Ihr neuer Code
       *[other] Ihre { $count } neuen Codes
    }
invitations-once = Kopieren Sie sie jetzt: Sie werden nur dieses eine Mal angezeigt.
invitations-count = Wie viele Codes?
invitations-count-hint = Von 1 bis { $max }.
invitations-count-problem = Bitte geben Sie eine Zahl von 1 bis { $max } ein.
invitations-submit = Codes erzeugen

roles-intro = Die Administration kümmert sich um die Einstellungen und das Team des Vereins; die Moderation um Aufnahme und Moderation; Fachpersonen antworten mit einem Abzeichen neben ihrem Pseudonym.
roles-of = Rolle von { $pseudonym }
roles-current = Aktuelle Rolle: { $role }.
roles-role = Rolle
roles-badge = Abzeichen (freiwillig)
roles-badge-hint = Nur für Fachpersonen, zum Beispiel „Neurologin“. Wird neben dem Pseudonym angezeigt.
roles-submit = Rolle speichern
roles-find-title = Mitglied suchen
roles-find-hint = Das Pseudonym so, wie das Mitglied es verwendet.
roles-find-submit = Suchen
roles-not-found = Kein Mitglied hat dieses Pseudonym. Bitte prüfen Sie die Schreibweise.
roles-list-title = Team und Fachpersonen
roles-list-caption = Alle mit einer anderen Rolle als Mitglied
roles-list-none = Noch niemand hat eine besondere Rolle.
roles-change = Rolle ändern
roles-role-problem = Bitte wählen Sie eine Rolle.
roles-badge-problem = Das Abzeichen darf eine Zeile mit höchstens 60 Zeichen sein.
roles-own-admin = Sie können sich die eigene Administrationsrolle nicht selbst nehmen. Das kann eine andere Person aus der Administration tun.

audit-intro = Jede Handlung der Verwaltung und jeder Blick auf persönliche Daten, die neuesten zuerst. Das Protokoll kann nicht verändert werden.
audit-caption = Einträge im Protokoll, die neuesten zuerst
audit-when = Wann
audit-who = Wer
audit-what = Was
audit-whom = Betrifft
audit-detail = Einzelheiten
audit-none = Das Protokoll ist leer.
audit-pages = Seiten des Protokolls
audit-older = Ältere Einträge
audit-newest = Neueste Einträge
audit-unknown-member = (gelöschtes Konto)
audit-action-verifications-viewed = Warteliste angesehen
audit-action-member-approved = Mitglied bestätigt
audit-action-member-suspended = Mitglied gesperrt
audit-action-member-reinstated = Sperre aufgehoben
audit-action-member-role-changed = Rolle geändert
audit-action-roles-viewed = Rollen angesehen
audit-action-member-viewed = Mitglied nachgeschlagen
audit-action-member-list-imported = Mitgliederliste eingelesen
audit-action-letter-viewed = Briefadresse angesehen
audit-action-invitations-created = Einladungscodes erzeugt
audit-action-audit-log-viewed = Protokoll angesehen
audit-action-member-refused = Anfrage zu einem Mitglied abgelehnt
audit-action-letters-viewed = Briefe zum Drucken angesehen
audit-action-reports-viewed = Meldungen angesehen
audit-action-moderation-history-viewed = Moderationsverlauf angesehen
audit-action-topic-hidden-viewed = Verborgenes Thema angesehen
audit-action-topic-hidden-listed = Verborgenes Thema in einer Themenliste gesehen
audit-action-post-hidden-viewed = Verborgenen Beitrag angesehen
two-factor-passkeys-title = Passkeys
two-factor-passkeys-text = Mit einem Passkey bestätigen Sie die Anmeldung mit Fingerabdruck, Gesicht oder der PIN Ihres Geräts statt mit einem Code.
two-factor-passkeys-link = Passkeys verwalten

staff-members-title = Mitglieder: finden, sperren, freigeben
staff-members-about = Mitglieder nach einem Teil des Pseudonyms, der Rolle oder dem Status finden; ein Konto von der Anmeldung ausschließen, etwa nach Missbrauch, und später wieder zulassen.
members-intro = Ein gesperrtes Mitglied wird sofort überall abgemeldet und kann sich erst nach der Freigabe wieder anmelden. Beides wird mit Ihrer Notiz im Protokoll festgehalten.
members-status = Status: { $status }
members-note = Notiz für das Protokoll
members-note-hint = Warum? Andere Mitarbeitende lesen sie. Höchstens 2000 Zeichen.
members-suspend = Dieses Konto sperren
members-reinstate = Dieses Konto wieder freigeben
members-note-problem = Die Notiz darf höchstens 2000 Zeichen lang sein.
members-wrong-state = Dieses Konto lässt sich hier nicht ändern: Ihr eigenes, das einer Administratorin oder eines Administrators (für Moderierende) oder eines, das nicht gesperrt ist.
member-status-email-unconfirmed = E-Mail-Adresse noch nicht bestätigt
member-status-unverified = wartet auf Bestätigung
member-status-active = aktiv
member-status-suspended = gesperrt
# Staff tools at volume (issue 14): one applicant, the directory, invitation batches.
staff-count-waiting = { $count ->
    [0] (niemand wartet)
   *[other] ({ $count } warten)
}
staff-count-letters = { $count ->
    [0] (keiner zu drucken)
   *[other] ({ $count } zu drucken)
}
applicant-open = Angaben ansehen
applicant-title = Anfrage von { $pseudonym }
applicant-intro = Was diese Person bei der Registrierung und der Bitte um Bestätigung angegeben hat. Das Ansehen wird im Protokoll festgehalten.
applicant-registered = Registriert
applicant-email = E-Mail-Adresse
applicant-address = Name und Postanschrift für den Brief
applicant-decline-title = Ablehnen
applicant-decline-about = Die Anfrage verlässt die Warteliste, eine wartende Briefanschrift wird gelöscht. Die Person erhält Ihre Nachricht per E-Mail und kann erneut anfragen.
applicant-decline-message = Nachricht an die Person
applicant-decline-hint = Wird genau so per E-Mail verschickt, ohne Ihren Namen. Schreiben Sie, was fehlt oder wie man erneut anfragt; höchstens 2000 Zeichen.
applicant-decline-submit = Ablehnen und Nachricht senden
applicant-decline-problem = Bitte schreiben Sie eine Nachricht mit höchstens 2000 Zeichen.
applicant-back = Zurück zur Warteliste
notice-declined = Die Anfrage ist abgelehnt; die Person erhält Ihre Nachricht per E-Mail.
notice-invitations-revoked = { $count ->
    [0] Es gab keine unbenutzten Codes mehr zu widerrufen.
    [one] Ein Code ist widerrufen. Er funktioniert nicht mehr.
   *[other] { $count } Codes sind widerrufen. Sie funktionieren nicht mehr.
}
invitations-create-title = Neue Codes
invitations-label = Bezeichnung
invitations-label-hint = Freiwillig: für wen oder wo die Codes sind, z. B. „Gruppenleitungen, Mai“. Höchstens { $max } Zeichen.
invitations-label-problem = Die Bezeichnung muss eine Zeile mit höchstens { $max } Zeichen sein.
invitations-batches-title = Bisher erstellte Codes
invitations-batches-caption = Code-Serien, die neuesten zuerst
invitations-batches-none = Es wurden noch keine Codes erstellt.
invitations-created = Erstellt
invitations-expires = Gültig bis
invitations-codes = Codes
invitations-used = Benutzt
invitations-open = Noch gültig
invitations-revoke = Widerrufen
invitations-no-label = (ohne Bezeichnung)
invitations-revoked-count = { $count } widerrufen
invitations-revoke-batch = { $count ->
    [one] Den unbenutzten Code widerrufen
   *[other] Die { $count } unbenutzten Codes widerrufen
}
invitations-revoke-code-title = Einen einzelnen Code widerrufen
invitations-revoke-code-label = Code
invitations-revoke-code-hint = Ein Code, der verloren ging oder an die falsche Person kam. Leerzeichen und Bindestriche spielen keine Rolle.
invitations-revoke-code-submit = Diesen Code widerrufen
invitations-revoke-unknown = Einen unbenutzten Code wie diesen gibt es nicht. Vielleicht wurde er schon benutzt, widerrufen oder falsch eingegeben.
invitations-revoke-malformed = Das ist kein Einladungscode. Bitte prüfen Sie ihn und geben Sie ihn erneut ein.
directory-find-title = Mitglieder finden
directory-text = Pseudonym oder ein Teil davon
directory-text-hint = Leer lassen, um alle aufzulisten. Groß- und Kleinschreibung spielen keine Rolle.
directory-text-problem = Bitte geben Sie höchstens 64 Zeichen ein.
directory-filter-problem = Bitte wählen Sie eine der Möglichkeiten.
directory-status = Status
directory-any = Alle
directory-submit = Mitglieder zeigen
directory-title = Mitglieder
directory-caption = { $count ->
    [one] Ein Mitglied auf dieser Seite
   *[other] { $count } Mitglieder auf dieser Seite
}
directory-joined = Registriert
directory-choose = Auswählen
directory-none = Kein Mitglied passt.
directory-next = Nächste Seite
audit-action-verification-viewed = Eine Anfrage zur Bestätigung angesehen
audit-action-member-declined = Eine Anfrage zur Bestätigung abgelehnt
audit-action-members-listed = Das Mitgliederverzeichnis angesehen
audit-action-invitations-viewed = Die Einladungscodes angesehen
audit-action-invitations-revoked = Einladungscodes widerrufen
notice-member-suspended = Das Konto ist gesperrt und überall abgemeldet.
notice-member-reinstated = Das Konto ist wieder aktiv.

## Gemeldete Mitglieder

staff-flags-title = Gemeldete Mitglieder
staff-flags-about = Mitglieder, die Profile schneller geöffnet oder gesucht haben, als ein Mensch lesen kann.
flags-intro = Diese Mitglieder haben Profile anderer Mitglieder geöffnet oder gesucht, viel schneller, als ein Mensch lesen kann. Das kann heißen, dass jemand das Mitgliederverzeichnis abschreibt. Sie wurden für eine Weile gestoppt. Sehen Sie sich an, was geschehen ist, und sperren Sie das Konto, wenn es missbraucht wird.
flags-caption = { $count ->
        [one] Eine Meldung, die neueste zuerst
       *[other] { $count } Meldungen, die neuesten zuerst
    }
flags-when = Wann
flags-reason = Warum
flags-action = Sperren oder freigeben
flags-open = Sperren oder freigeben …
flags-none = Niemand wurde gemeldet.
flags-reason-profile-views = Hat mehr als { $limit } andere Profile in { $minutes } Minuten geöffnet
flags-reason-photo-views = Hat mehr als { $limit } Fotos anderer Mitglieder in { $minutes } Minuten geladen
flags-reason-member-searches = Hat mehr als { $limit } Mal in { $minutes } Minuten nach Mitgliedern gesucht
audit-action-flags-viewed = Gemeldete Mitglieder angesehen

## Language and time zone (account/preferences)
account-preferences-link = Sprache und Zeitzone
preferences-title = Sprache und Zeitzone
preferences-intro = Seiten und E-Mails erscheinen in der Sprache, die Sie hier wählen, auf jedem Gerät, und Links in E-Mails öffnen sich in ihr. Zeiten werden in Ihrer Zeitzone angezeigt.
preferences-language = Sprache
preferences-language-hint = Eine Sprache, die Sie auf einer Seite mit der Sprachauswahl wählen, gilt nur für diesen Besuch.
preferences-time-zone = Zeitzone
preferences-time-zone-hint = Wo Sie leben: Zeiten wie „vor 2 Stunden“ und die genaue Uhrzeit daneben richten sich danach.
preferences-zone-association = Die Zeitzone des Vereins ({ $zone })
preferences-save = Speichern
preferences-invalid-language = Wählen Sie eine der angebotenen Sprachen.
preferences-invalid-time-zone = Wählen Sie eine Zeitzone aus der Liste.
notice-preferences-saved = Ihre Sprache und Zeitzone sind gespeichert.
register-terms-link = Nutzungsbedingungen lesen
## Ihre Daten: Einwilligungen und Löschen des Kontos (pages::consents, pages::erasure)
account-your-data-title = Ihre Daten
account-consents-link = Wozu Sie eingewilligt haben
account-delete-link = Konto löschen
consents-title = Ihre Einwilligungen
consents-intro = Wozu Sie eingewilligt haben, in welcher Fassung und wann. Ihre Einwilligung zu Gesundheitsangaben können Sie hier jederzeit widerrufen.
consents-caption = Ihre Einwilligungen
consents-col-what = Einwilligung
consents-col-version = Fassung
consents-col-given = Erteilt
consents-col-withdraw = Widerrufen
consents-kind-terms = Nutzungsbedingungen und Datenschutzhinweise
consents-kind-health = Speichern Ihrer Gesundheitsangaben
consents-withdraw = Widerrufen
consents-health-withdraw-hint = Alle Ihre Gesundheitsangaben werden sofort gelöscht und sind in der Suche nicht mehr zu finden.
consents-terms-withdraw = Nur durch Löschen Ihres Kontos
consents-none = Sie haben noch keine Einwilligung erteilt.
consents-withdrawn = Ihre Einwilligung ist widerrufen. Alle Ihre Gesundheitsangaben wurden gelöscht.
erase-title = Konto löschen
erase-intro = Das Löschen Ihres Kontos kann nicht rückgängig gemacht werden. Niemand, auch nicht das Team, kann es wiederherstellen.
erase-what-title = Was geschieht
erase-what-profile = Ihr Profil, Ihr Foto, Ihre E-Mail-Adresse, Ihr Passwort und alles, was Sie über sich angegeben haben, werden gelöscht.
erase-what-contacts = Ihre Kontakte, Anfragen, Blockierungen, Gruppenmitgliedschaften und Aliasnamen werden gelöscht.
erase-what-messages = Ihre Nachrichten werden für alle gelöscht; Gespräche mit nur einer weiteren Person werden ganz gelöscht.
erase-what-events = Ihre Anmeldungen zu Veranstaltungen werden zurückgenommen; wer als Nächstes wartet, bekommt Ihren Platz.
erase-what-sessions = Sie werden überall abgemeldet: Jede Sitzung, jeder App-Zugang und jeder Passkey hört sofort auf zu funktionieren.
erase-what-pseudonym = Ihr Pseudonym bleibt { $days } Tage reserviert, damit es niemand sofort verwenden kann.
erase-what-backups = Sicherungen von vor heute enthalten Ihre Daten noch, bis auch sie gelöscht werden; Ihre verschlüsselten Gesundheitsangaben darin bleiben ohne den Schlüssel des Vereins unlesbar.
erase-what-moment = Alles geschieht im selben Augenblick: Wer genau hinsieht, könnte Ihr Pseudonym mit Ihren anonymen Beiträgen und Ihren Aliasnamen in Alias-Gruppen verknüpfen, weil sie sich zugleich ändern. Wenn Ihnen das wichtig ist, löschen Sie diese Beiträge (oder verlassen Sie diese Gruppen) einige Zeit vorher.
erase-posts-legend = Was soll mit Ihren Forumsbeiträgen geschehen?
erase-posts-delete = Löschen
erase-posts-delete-hint = Ihr Text wird entfernt. Ein Hinweis „gelöscht“ bleibt in den Diskussionen, damit Antworten verständlich bleiben.
erase-posts-anonymise = Ohne meinen Namen behalten
erase-posts-anonymise-hint = Andere können sie weiter lesen; sie erscheinen als von einem ehemaligen Mitglied, ohne Verweis auf Sie.
erase-posts-removed = Ihre Forumsbeiträge werden gelöscht: Ihr Text wird entfernt.
erase-posts-required = Wählen Sie, was mit Ihren Beiträgen geschehen soll.
erase-continue = Weiter
erase-confirm-title = Bestätigen: Konto löschen
erase-confirm-warning = Dies ist der letzte Schritt. Sobald Sie bestätigen, werden Ihr Konto und Ihre Daten sofort gelöscht.
erase-confirm-delete = Ihre Forumsbeiträge werden gelöscht.
erase-confirm-anonymise = Ihre Forumsbeiträge bleiben, als von einem ehemaligen Mitglied.
erase-submit = Mein Konto endgültig löschen
erase-change-choice = Meine Wahl ändern
erase-done-title = Das Konto ist gelöscht
erase-done-text = Das Konto und seine Daten wurden gelöscht, und Sie sind abgemeldet.
## Ihre Daten: der Export und wer sie angesehen hat (service::export)
account-data-link = Ihre Daten: eine Kopie herunterladen
account-access-log-link = Wer Ihre Daten angesehen hat
data-title = Ihre Daten
data-intro = Sie können eine Kopie von allem, was wir über Sie speichern, als eine ZIP-Datei herunterladen.
data-contents = Sie enthält Ihr Konto, Ihr Profil mit der Angabe, wer welches Feld sieht, Ihre Einwilligungen, Kontakte (nur was jeder Kontakt Ihnen jetzt zeigt), Anfragen, Sperren, Gruppen mit Ihren Alias-Namen, Ihre Themen und Beiträge (auch anonyme), Reaktionen, Termine, Unterhaltungen und Nachrichten, Benachrichtigungen, Sitzungen, Passkeys, Ihr Foto und jeden Zugriff des Teams auf Ihre Daten. Die Datei data.json ist für Programme; index.html können Sie in jedem Browser öffnen.
data-lifetime = Wir erstellen die Datei im Hintergrund; das dauert einen Moment. Sobald sie bereit ist, können Sie sie innerhalb von 48 Stunden einmal herunterladen. Danach wird sie gelöscht.
data-request = Eine Kopie meiner Daten vorbereiten
data-exports-title = Ihre Kopien
data-exports-caption = Angeforderte Kopien, die neueste zuerst
data-requested = Angefordert
data-state = Stand
data-action = Aktion
data-expires = bis
data-download = Herunterladen
data-check-again = Erneut nachsehen
data-no-exports = Sie haben noch keine Kopie angefordert.
data-export-state-building = Wird vorbereitet
data-export-state-ready = Bereit zum Herunterladen
data-export-state-downloaded = Heruntergeladen (nur einmal möglich)
data-export-state-expired = Abgelaufen
notice-export-requested = Wir bereiten Ihre Kopie vor. Sehen Sie gleich noch einmal nach.
access-log-title = Wer Ihre Daten angesehen hat
access-log-intro = Jedes Mal, wenn das Team des Vereins Ihre Daten ansieht oder ändert, wird es festgehalten. Hier sehen Sie, wann es geschah, was getan wurde und welche Rolle die Person hatte.
access-log-caption = Zugriffe des Teams auf Ihre Daten, der neueste zuerst
access-log-when = Wann
access-log-what = Was
access-log-who = Rolle
access-log-none = Niemand aus dem Team hat auf Ihre Daten zugegriffen.
access-log-intro-named = Jedes Mal, wenn das Team des Vereins Ihre Daten ansieht oder ändert, wird es festgehalten. Hier sehen Sie, wann es geschah, was getan wurde, welche Rolle die Person hatte und ihr Pseudonym: Ihr Verein hat entschieden, sein Team hier zu nennen.
access-log-name = Teammitglied
access-log-name-gone = (nicht genannt)
access-role-staff = Team
access-action-verification-viewed = Ihren Aufnahmeantrag angesehen
access-action-member-viewed = Ihr Konto aufgerufen
access-action-letter-viewed = Ihre Briefadresse zum Drucken angesehen
access-action-member-approved = Ihre Aufnahme bestätigt
access-action-member-refused = Eine Anfrage zu Ihrem Konto wurde abgelehnt
access-action-member-suspended = Ihr Konto gesperrt
access-action-member-reinstated = Ihr Konto wieder freigegeben
access-action-member-role-changed = Ihre Rolle geändert
access-action-reported-messages-viewed = Ihre Nachrichten gelesen, die jemand gemeldet hat

## Changed terms of use, asked again (issue 20)
terms-accept-title = Die Nutzungsbedingungen haben sich geändert
terms-accept-intro = Sie haben der Fassung { $previous } der Nutzungsbedingungen zugestimmt. Der Verein hat sie zur Fassung { $version } geändert. Bitte lesen Sie sie; um die Gemeinschaft weiter zu nutzen, stimmen Sie ihnen unten zu.
terms-accepted-already = Sie haben der Fassung { $version } der Nutzungsbedingungen zugestimmt, der aktuellen.
terms-text-heading = Nutzungsbedingungen, Fassung { $version }
terms-accept-button = Ich stimme den Nutzungsbedingungen zu (Fassung { $version })
terms-accept-changed = Die Bedingungen haben sich geändert, während Sie sie gelesen haben. Dies ist die aktuelle Fassung.
terms-decline-title = Wenn Sie nicht zustimmen
terms-decline-intro = Ohne Zustimmung zu den aktuellen Bedingungen können Sie die Gemeinschaft nicht nutzen. Sie können Ihre Daten mitnehmen und Ihr Konto löschen, oder sich abmelden und später entscheiden.
terms-decline-export = Ihre Daten herunterladen
terms-decline-delete = Ihr Konto löschen
terms-decline-sign-out = Abmelden und später entscheiden
community-denied-terms = Die Nutzungsbedingungen haben sich geändert. Bitte lesen Sie sie und stimmen Sie ihnen zuerst zu.
