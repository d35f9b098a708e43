# Benachrichtigungen in der App (pages::notifications).
nav-notifications = Benachrichtigungen
nav-notifications-unread = Benachrichtigungen ({ $count } neu)
notifications-title = Benachrichtigungen
notifications-unread = { $count ->
    [one] Sie haben 1 ungelesene Benachrichtigung.
   *[other] Sie haben { $count } ungelesene Benachrichtigungen.
}
notifications-all-read = Sie haben keine ungelesenen Benachrichtigungen.
notifications-none = Noch keine Benachrichtigungen. Sie bekommen eine, wenn jemand auf ein Thema antwortet, dem Sie folgen, oder Sie erwähnt.
notifications-new = Neu
notifications-in-topic = Im Thema
notifications-mark-read = Als gelesen markieren
notifications-mark-all = Alle als gelesen markieren
notifications-pages = Seiten der Benachrichtigungen
notifications-first-page = Neueste
notifications-next-page = Ältere
notifications-kind-reply = { $actor } hat geantwortet
notifications-kind-reply-nobody = Eine neue Antwort (anonym geschrieben)
notifications-kind-mention = { $actor } hat Sie erwähnt
notifications-kind-mention-nobody = Sie wurden in einem anonymen Beitrag erwähnt
notifications-kind-moderation = { $actor } hat Ihren Beitrag moderiert
notifications-kind-moderation-nobody = Die Moderation hat Ihren Beitrag bearbeitet
notifications-kind-warning = { $actor } hat Ihnen eine Verwarnung geschickt
notifications-kind-warning-nobody = Die Moderation hat Ihnen eine Verwarnung geschickt
notifications-kind-crisis-report = { $actor }: Jemand ist vielleicht in einer Krise – bitte sehen Sie sich die Meldung jetzt an
notifications-kind-crisis-report-nobody = Jemand ist vielleicht in einer Krise – bitte sehen Sie sich die Meldung jetzt an
notifications-kind-other = { $actor }: eine neue Benachrichtigung
notifications-kind-other-nobody = Eine neue Benachrichtigung

account-notifications-link = Welche Benachrichtigungen Sie per E-Mail erreichen
notice-notification-settings-saved = Ihre Einstellungen für Benachrichtigungen sind gespeichert.
notification-settings-title = Benachrichtigungen per E-Mail
notification-settings-intro = In Kindred sehen Sie immer jede Benachrichtigung. Hier wählen Sie für jede Art, ob und wie oft sie Sie auch per E-Mail erreicht. E-Mails enthalten nie, was geschrieben wurde, nur dass es etwas Neues gibt.
notification-settings-fixed = immer sofort per E-Mail (wer Dienst hat, darf sie nicht verpassen)
notification-settings-save = Einstellungen speichern
notification-settings-back = Zurück zu Ihrem Konto
notification-settings-invalid = Bitte wählen Sie eine der angebotenen Möglichkeiten.
notification-kind-reply = Antworten in Themen, denen Sie folgen
notification-kind-mention = Jemand erwähnt Sie
notification-kind-moderation = Die Moderation hat etwas von Ihnen geändert
notification-kind-warning = Eine Verwarnung der Moderation
notification-kind-crisis-report = Eine Meldung, dass jemand in einer Krise sein könnte
notification-email-immediately = sofort
notification-email-daily = einmal am Tag, gesammelt
notification-email-weekly = einmal in der Woche, gesammelt
notification-email-never = nie per E-Mail
notification-kind-event-changed = Eine Veranstaltung, zu der Sie angemeldet sind, hat sich geändert
notification-kind-event-cancelled = Eine Veranstaltung, zu der Sie angemeldet sind, fällt aus
notification-kind-event-promoted = Bei einer Veranstaltung ist ein Platz für Sie frei geworden
notification-kind-event-reminder = Erinnerung einen Tag vor Ihren Veranstaltungen
notification-kind-message-request = Jemand möchte Ihnen schreiben
