skip-to-content = Zum Inhalt springen
nav-main = Hauptmenü
nav-home = Startseite
nav-privacy = Ihre Privatsphäre
nav-accessibility = Barrierefreiheit
nav-language = Sprache
nav-more-label = Weitere Seiten und Ihr Konto
nav-more = Mehr
nav-more-news = mit Neuem
footer-powered = Läuft mit Kindred: keine Werbung, kein Tracking, nichts wird von anderen Websites geladen.
text-size-label = Schriftgröße
text-size-normal = Normal
text-size-large = Groß
text-size-larger = Größer

## Bestätigung folgenreicher Aktionen (pages::confirm; der Dialog von kindred.js)
confirm-cancel = Abbrechen
confirm-delete-post-title = Beitrag löschen?
confirm-delete-post-question = Möchten Sie diesen Beitrag wirklich löschen? Sein Text lässt sich nicht wiederherstellen.
confirm-delete-post-yes = Beitrag löschen
confirm-end-contact-title = Kontakt beenden?
confirm-end-contact-question = Möchten Sie diesen Kontakt wirklich beenden? Die Person sieht dann nicht mehr, was Sie für Ihre Kontaktstufen freigegeben haben.
confirm-end-contact-yes = Kontakt beenden
confirm-block-title = Mitglied blockieren?
confirm-block-question = Möchten Sie dieses Mitglied wirklich blockieren? Ein Kontakt zwischen Ihnen endet, und Sie sehen einander nicht mehr.
confirm-block-yes = Blockieren
confirm-leave-group-title = Gruppe verlassen?
confirm-leave-group-question = Möchten Sie diese Gruppe wirklich verlassen? Um zurückzukommen, müssen Sie eventuell erneut anfragen.
confirm-leave-group-yes = Gruppe verlassen
confirm-end-session-title = Sitzung beenden?
confirm-end-session-question = Möchten Sie diese Sitzung wirklich beenden? Auf dem Gerät muss man sich dann neu anmelden.
confirm-end-session-yes = Sitzung beenden
confirm-leave-conversation-title = Unterhaltung verlassen?
confirm-leave-conversation-question = Möchten Sie diese Unterhaltung wirklich verlassen? Sie verschwindet aus Ihren Nachrichten.
confirm-leave-conversation-yes = Unterhaltung verlassen
confirm-unregister-event-title = Anmeldung zurückziehen?
confirm-unregister-event-question = Möchten Sie Ihre Anmeldung zu dieser Veranstaltung wirklich zurückziehen? Ihr Platz kann an jemand anderen gehen.
confirm-unregister-event-yes = Anmeldung zurückziehen
confirm-remove-passkey-title = Passkey entfernen?
confirm-remove-passkey-question = Möchten Sie diesen Passkey wirklich entfernen? Sie können sich dann nicht mehr damit anmelden. Geben Sie zur Bestätigung Ihr Passwort ein.
confirm-remove-passkey-yes = Passkey entfernen
confirm-password-label = Ihr Passwort
confirm-password-hint = Das Passwort, mit dem Sie sich anmelden.
confirm-delete-category-title = Kategorie löschen?
confirm-delete-category-question = Möchten Sie diese Kategorie wirklich löschen? Nur eine leere Kategorie lässt sich löschen; das lässt sich nicht rückgängig machen.
confirm-delete-category-yes = Kategorie löschen
confirm-revoke-batch-title = Einladungscodes widerrufen?
confirm-revoke-batch-question = Möchten Sie alle unbenutzten Codes dieses Stapels wirklich widerrufen? Niemand kann sie dann noch verwenden; das lässt sich nicht rückgängig machen.
confirm-revoke-batch-yes = Codes widerrufen
confirm-revoke-code-title = Einladungscode widerrufen?
confirm-revoke-code-question = Möchten Sie diesen Einladungscode wirklich widerrufen? Niemand kann ihn dann noch verwenden; das lässt sich nicht rückgängig machen.
confirm-revoke-code-yes = Code widerrufen
confirm-cancel-event-title = Veranstaltung absagen?
confirm-cancel-event-question = Möchten Sie diese Veranstaltung wirklich absagen? Alle Angemeldeten und Wartenden werden benachrichtigt, und niemand kann sich mehr anmelden.
confirm-cancel-event-yes = Veranstaltung absagen
confirm-cancel-occurrence-title = Diesen Termin absagen?
confirm-cancel-occurrence-question = Möchten Sie diesen Termin der Reihe wirklich absagen? Alle Angemeldeten und Wartenden werden benachrichtigt.
confirm-cancel-occurrence-yes = Termin absagen

root-title = Kindred
root-intro = Kindred ist ein geschützter Treffpunkt für Selbsthilfevereine. Jeder Verein betreibt hier ihre eigene Gemeinschaft.
root-associations = Vereine auf diesem Server
root-none = Es wurde noch kein Verein eingerichtet.

home-welcome-default = Willkommen. Dies ist ein geschützter Raum, in dem sich Menschen in der gleichen Lage treffen und offen sprechen.
home-levels-title = Sie bestimmen, wer was sieht
home-levels-intro = Alle nutzen hier ein Pseudonym. Für jede Angabe in Ihrem Profil wählen Sie, ab welcher Stufe andere sie sehen dürfen, und Sie ordnen jeden Kontakt einer Stufe zu:
home-privacy-link = So schützen wir Ihre Privatsphäre
home-join-title = So werden Sie Mitglied
home-join-intro = Nur Menschen, die der Verein geprüft hat, können teilnehmen. Nachdem Sie ein Konto angelegt haben, prüft der Verein Sie auf einem dieser Wege:
admission-member-number = mit Ihrer Mitgliedsnummer
admission-letter = mit einem Code, den wir Ihnen per Post schicken
admission-invitation = mit einem Einladungscode des Vereins
admission-manual = durch eine Person des Vereins, die Ihre Anfrage prüft
home-crisis-title = Hilfe in einer Krise
home-crisis-intro = Wenn Sie oder jemand anderes in Gefahr sind oder jetzt Hilfe brauchen, rufen Sie bitte an:
home-to-account = Ihr Konto und Ihre Prüfung
member-home-title = Willkommen, { $name }
member-home-welcome-title = Schön, dass Sie da sind
member-home-welcome-intro = Drei erste Schritte, jeder in Ihrem Tempo:
member-home-step-profile = Profil ergänzen und wählen, wer was sieht
member-home-step-profile-why = jede Angabe hat ihre eigene Stufe, und Sie ordnen jeden Kontakt einer Stufe zu.
member-home-step-preview = So sehen andere Sie
member-home-step-group = Eine Gruppe von Menschen in Ihrer Lage finden
member-home-step-hello = Im Forum Hallo sagen
member-home-news-title = Neu für Sie
member-home-nothing-new = Seit Ihrem letzten Besuch gibt es nichts Neues für Sie.
member-home-notifications-link = Alle Benachrichtigungen
member-home-all-notifications = Alle Benachrichtigungen ({ $count } ungelesen)
member-home-unread-title = Themen mit Beiträgen, die Sie noch nicht gelesen haben
member-home-unread-none = Sie haben alle Beiträge in den Themen unten gelesen.
member-home-latest-title = Neu im Forum und in Ihren Gruppen
member-home-latest-none = Es gibt noch keine Themen.
member-home-forum-link = Zum Forum
member-home-groups-title = Ihre Gruppen
member-home-groups-none = Sie sind noch in keiner Gruppe.
member-home-groups-link = Gruppen finden
member-home-group-alias = hier heißen Sie { $alias }
member-home-topic-in = In
member-home-messages-title = Nachrichten
member-home-messages-unread = { $count ->
    [one] Eine ungelesene Nachricht
   *[other] { $count } ungelesene Nachrichten
}
member-home-messages-none = Keine ungelesenen Nachrichten.
member-home-messages-link = Ihre Gespräche
member-home-events-title = Nächste Veranstaltungen
member-home-events-none = Es sind keine Veranstaltungen geplant.
member-home-events-link = Alle Veranstaltungen
member-home-event-cancelled = fällt aus

level-1-explained = alle geprüften Mitglieder des Vereins.
level-2-explained = Kontakte, die Sie auf diese oder eine höhere Stufe gesetzt haben.
level-3-explained = Kontakte, denen Sie mehr vertrauen, auf dieser oder einer höheren Stufe.
level-4-explained = Kontakte, die wissen dürfen, wer Sie sind.

privacy-title = So schützen wir Ihre Privatsphäre
privacy-intro = Ihre Privatsphäre ist hier das Wichtigste. Diese Seite erklärt in einfachen Worten, was andere von Ihnen sehen können und was wir niemals tun.
privacy-pseudonym = Man kennt Sie unter einem Pseudonym, das Sie selbst wählen. Andere geprüfte Mitglieder sehen immer Ihr Pseudonym und sonst nichts, solange Sie es nicht erlauben.
privacy-levels-title = Vier Stufen
privacy-private = Sie können eine Angabe auch privat halten: Dann sehen nur Sie selbst sie.
privacy-contacts = Für jeden Kontakt wählen Sie, welche Stufe er von Ihnen sieht. Sie können das jederzeit ändern, und die Änderung gilt sofort und überall. Ein Kontakt kann Sie um eine höhere Stufe bitten; Sie entscheiden, und er erfährt nur Ihre Antwort.
privacy-search-title = Suche
privacy-search = Andere können Sie über eine Angabe nur finden, wenn sie diese Angabe sehen dürfen. Sie können auch wählen, gar nicht gefunden zu werden.
privacy-counts = Wo gezeigt wird, wie viele Mitglieder etwas hat (eine Gruppe, eine Statistik), wird eine Zahl unter { $threshold } nie gezeigt, damit niemand herausgegriffen werden kann; nur die Moderatoren einer Gruppe sehen, wie viele sie hat.
privacy-staff-title = Was die Mitarbeitenden des Vereins sehen
privacy-staff = Mitarbeitende sehen nur, was sie für ihre Arbeit brauchen, und jeder Blick auf persönliche Daten, auf Meldungen oder auf vor Mitgliedern verborgene Inhalte wird aufgezeichnet. Niemand, auch nicht die Mitarbeitenden, kann herausfinden, wer einen anonymen Beitrag geschrieben hat.
privacy-third-parties-title = Keine Dritten
privacy-third-parties = Diese Seiten laden nichts von anderen Websites: keine Werbung, kein Tracking, keine Schriften oder Videos von anderswo. Wir setzen nur ein Cookie, wenn Sie sich anmelden.
privacy-data-title = Ihre Daten gehören Ihnen
privacy-data = Gesundheitsangaben, Ihr Foto und die Nachricht zu einer Kontaktanfrage werden verschlüsselt gespeichert. Jede Angabe in Ihrem Profil können Sie selbst ändern oder entfernen, und Ihre Einwilligung zu Gesundheitsdaten können Sie jederzeit widerrufen: Ihre Gesundheitsangaben werden dann sofort gelöscht.

accessibility-title = Barrierefreiheit
accessibility-intro = Alle sollen diese Website nutzen können, auch Menschen, die einen Screenreader, nur eine Tastatur oder große Schrift verwenden.
accessibility-keyboard-title = Mit der Tastatur
accessibility-keyboard = Mit der Tabulatortaste gehen Sie von Link zu Link, mit der Eingabetaste folgen Sie einem Link. Der erste Tabulator zeigt einen Link, der direkt zum Inhalt springt.
accessibility-text-title = Größere Schrift
accessibility-text = Sie können die Schrift mit den Knöpfen unten auf jeder Seite vergrößern oder mit dem Zoom Ihres Browsers (Strg und +). Die Seiten funktionieren auch in doppelter Größe.
accessibility-motion-title = Weniger Bewegung, mehr Kontrast
accessibility-motion = Wenn Ihr Gerät auf weniger Bewegung oder hohen Kontrast eingestellt ist, folgen diese Seiten dieser Einstellung.
accessibility-js-title = Ohne JavaScript
accessibility-js = Jede Seite funktioniert ohne JavaScript. Skripte fügen nur kleine Erleichterungen hinzu.
accessibility-report-title = Melden Sie uns ein Problem
accessibility-report = Wenn etwas schwer zu bedienen ist, sagen Sie es bitte dem Verein. Unser Ziel ist WCAG 2.2 Stufe AA.

error-not-found-title = Seite nicht gefunden
error-not-found-text = Unter dieser Adresse gibt es nichts. Vielleicht ist der Link veraltet oder falsch geschrieben.
error-method-not-allowed-title = Hier nicht möglich
error-method-not-allowed-text = Diese Seite kann so nicht verwendet werden.
error-timeout-title = Das hat zu lange gedauert
error-timeout-text = Die Anfrage hat zu lange gedauert. Bitte versuchen Sie es noch einmal.
error-too-large-title = Zu viele Daten
error-too-large-text = Was Sie gesendet haben, ist zu groß.
error-rate-limited-title = Bitte etwas langsamer
error-rate-limited-text = Es gab zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.
error-bad-request-title = Mit der Anfrage stimmt etwas nicht
error-bad-request-text = Die Anfrage konnte nicht verstanden werden.
error-server-error-title = Etwas ist schiefgegangen
error-server-error-text = Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal.
error-status = Fehlercode: { $status }
error-home-link = Zur Startseite

## Times relative to now (pages::text::when); the exact time stands beside them.
when-now = gerade eben
when-minutes-ago = { $count ->
    [one] vor 1 Minute
   *[other] vor { $count } Minuten
}
when-minutes-ahead = { $count ->
    [one] in 1 Minute
   *[other] in { $count } Minuten
}
when-hours-ago = { $count ->
    [one] vor 1 Stunde
   *[other] vor { $count } Stunden
}
when-hours-ahead = { $count ->
    [one] in 1 Stunde
   *[other] in { $count } Stunden
}
when-days-ago = { $count ->
    [one] vor 1 Tag
   *[other] vor { $count } Tagen
}
when-days-ahead = { $count ->
    [one] in 1 Tag
   *[other] in { $count } Tagen
}

## Legal pages (terms of use, imprint, contact), set in the association's [legal] settings
footer-legal-nav = Rechtliches
legal-terms-title = Nutzungsbedingungen
legal-terms-version = Fassung { $version }. Mit der Registrierung stimmen Sie dieser Fassung zu.
legal-terms-default-1 = { $association } bietet diese Gemeinschaft Menschen an, die mit einer Erkrankung leben, und ihren Angehörigen. Gehen Sie freundlich miteinander um und respektieren Sie, dass jede und jeder selbst entscheidet, was sie oder er mit wem teilt.
legal-terms-default-2 = Was Sie hier über andere erfahren, bleibt hier. Geben Sie nicht weiter, was andere mit Ihnen geteilt haben, und versuchen Sie nicht herauszufinden, wer hinter einem Pseudonym oder einem Alias steht.
legal-terms-default-3 = Erfahrungen, die hier geteilt werden, sind kein ärztlicher Rat. Sprechen Sie mit Ihrer Ärztin oder Ihrem Arzt, bevor Sie eine Behandlung ändern. Im Notfall wählen Sie die 112.
legal-terms-default-4 = Die Moderation kann Beiträge ausblenden und Konten sperren, die gegen diese Regeln verstoßen. Sie können Ihre Mitgliedschaft jederzeit beenden, Ihre Daten mitnehmen und löschen lassen.
legal-terms-register = Beim Verein registrieren
legal-imprint-title = Impressum
legal-imprint-default-1 = Diese Gemeinschaft wird betrieben von { $association }.
legal-imprint-default-2 = Der Verein hat die Angaben seines Impressums (Anschrift, Vertretung, Registereintrag) hier noch nicht veröffentlicht. Bitte nutzen Sie die Kontaktseite, um ihn zu erreichen.
legal-contact-title = Kontakt
legal-contact-default-1 = Mit Fragen, Anregungen oder einem Problem mit dieser Website erreichen Sie { $association }. Angemeldete Mitglieder können auch der Moderation schreiben.
legal-contact-email = E-Mail:
accessibility-report-email = Schreiben Sie an
accessibility-report-contact = Weitere Wege zum Verein:
