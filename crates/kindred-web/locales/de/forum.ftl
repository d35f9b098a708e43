# Die Forumsseiten (pages::forum).
nav-forum = Forum

## Die Vorschau beim Schreiben (ohne JavaScript)
forum-preview-button = Vorschau
forum-preview-title = Vorschau
forum-preview-hint = So wird Ihr Beitrag aussehen. Noch ist nichts veröffentlicht.
forum-title = Forum
forum-intro = Tauschen Sie sich mit anderen Mitgliedern aus. Themen in einer Kategorie lesen alle Mitglieder, Themen in einem Gruppenforum die Gruppe.
forum-last-post = letzter Beitrag
forum-anonymous-allowed = Anonyme Beiträge erlaubt
forum-ask-professional = Fragen an Fachleute
forum-no-categories = Es gibt noch keine Kategorien.
forum-back-to = Zurück zu { $place }
forum-back-to-topic = Zurück zum Thema
forum-new-topic = Neues Thema
forum-new-in = Ihr Thema erscheint in: { $place }
forum-new-submit = Thema veröffentlichen
forum-unread = neu
forum-pinned = Angeheftet
forum-locked = Geschlossen
forum-hidden = Von der Moderation ausgeblendet
forum-started-by = Begonnen von { $author }
forum-no-topics = Noch keine Themen. Beginnen Sie das erste!
forum-pages = Weitere Seiten
forum-older-topics = Ältere Themen
forum-first-page = Zu den ersten Beiträgen
forum-jump-to-reply = Zum Antwortfeld springen
forum-next-page = Weitere Beiträge
forum-subscribe = Bei Antworten benachrichtigen
forum-unsubscribe = Nicht mehr bei Antworten benachrichtigen
forum-post-number = Beitrag { $number }
forum-anonymous = Anonym
forum-former-member = Ehemaliges Mitglied
forum-deleted = Gelöscht
forum-deleted-text = Von der Verfasserin oder dem Verfasser gelöscht.
forum-hidden-post = Ausgeblendet
forum-hidden-text = Von der Moderation ausgeblendet.
forum-hidden-because = Die Moderation hat diesen Beitrag ausgeblendet. Grund: { $reason }
forum-topic-hidden-because = Die Moderation hat dieses Thema ausgeblendet; nur wer es begonnen hat und die Moderation sehen es. Grund: { $reason }
forum-professional-answer = Antwort einer Fachperson
forum-edited = bearbeitet
forum-history-link = frühere Fassungen
forum-reactions = Reaktionen
forum-reaction-heart = Herz
forum-reaction-hug = Umarmung
forum-reaction-thanks = Danke
forum-reaction-helpful = Hilfreich
forum-quote = Zitieren
forum-quote-from = Aus Beitrag { $number }:
forum-report = Melden
forum-edit = Bearbeiten
forum-delete = Löschen
forum-reply-title = Ihre Antwort
forum-reply-submit = Antwort veröffentlichen
forum-body-label = Text
forum-title-label = Titel
forum-markdown-help = Sie können formatieren: **fett**, *kursiv*, > Zitat, - Liste, [Linktext](https://…). Erwähnen Sie jemanden mit @Name oder @[Name mit Leerzeichen].
forum-anonymous-label = Anonym veröffentlichen
forum-anonymous-hint = Niemand, auch nicht das Team, sieht, dass Sie es geschrieben haben. Sie können den Beitrag trotzdem bearbeiten und löschen.
forum-locked-text = Dieses Thema ist geschlossen: keine weiteren Antworten.
forum-edit-title = Beitrag bearbeiten
forum-edit-intro = Frühere Fassungen bleiben in der Versionsgeschichte des Beitrags sichtbar.
forum-edit-submit = Beitrag speichern
forum-history-title = Frühere Fassungen
forum-history-version = Fassung vom
forum-history-none = Dieser Beitrag wurde nicht bearbeitet.
forum-topic-count = { $count ->
    [one] ein Thema
   *[other] { $count } Themen
}
forum-post-count = { $count ->
    [one] ein Beitrag
   *[other] { $count } Beiträge
}
forum-group-title = Forum von { $group }
forum-problem-title = Geben Sie dem Thema einen Titel mit höchstens 200 Zeichen.
forum-problem-body = Schreiben Sie einen Text mit höchstens 20.000 Zeichen.
forum-problem-anonymous = Anonyme Beiträge sind hier nicht erlaubt.
forum-problem-quote = Der zitierte Beitrag ist nicht mehr da.
forum-problem-place = Wählen Sie eine Kategorie oder eine Gruppe für das Thema.
forum-problem-name = Geben Sie der Kategorie einen Namen mit höchstens 100 Zeichen.
forum-problem-description = Die Beschreibung darf höchstens 1000 Zeichen haben.
forum-problem-position = Die Position ist eine Zahl von 0 bis 10000.
forum-done-posted = Ihr Beitrag ist veröffentlicht.
forum-done-edited = Ihr Beitrag ist gespeichert.
forum-done-deleted = Ihr Beitrag ist gelöscht.
forum-done-subscribed = Sie werden bei Antworten benachrichtigt.
forum-done-unsubscribed = Sie werden nicht mehr bei Antworten benachrichtigt.
forum-done-reacted = Ihre Reaktion ist gespeichert.
forum-staff-title = Forumskategorien
forum-staff-about = Die Kategorien des Forums einrichten: Namen, Reihenfolge, anonyme Beiträge, „Fragen an Fachleute“.
forum-staff-categories = Kategorien
forum-staff-new = Neue Kategorie
forum-staff-name = Name
forum-staff-description = Beschreibung
forum-staff-position = Position in der Liste
forum-staff-anonymous = Mitglieder dürfen anonym schreiben
forum-staff-professional = „Fragen an Fachleute“: Antworten von Fachleuten werden gekennzeichnet
forum-staff-save = Speichern
forum-staff-delete = Löschen
forum-staff-create = Kategorie anlegen
forum-staff-done-created = Die Kategorie wurde angelegt.
forum-staff-done-saved = Die Kategorie wurde gespeichert.
forum-staff-done-deleted = Die Kategorie wurde gelöscht.
forum-staff-done-not-empty = Die Kategorie enthält noch Themen und kann nicht gelöscht werden.
forum-mention-summary = Ein Mitglied zum Erwähnen suchen
forum-mention-hint = Nur Mitglieder, die Sie in der Mitgliedersuche finden dürfen, werden gezeigt. Ihre Wahl fügt @[Name] am Ende Ihres Textes an; veröffentlicht wird noch nichts.
forum-mention-find = Suchen
forum-mention-choose = { $count ->
    [one] Ein Mitglied gefunden: zum Erwähnen auswählen
   *[other] { $count } Mitglieder gefunden: wählen Sie, wen Sie erwähnen
}
forum-mention-add = Erwähnen:
forum-mention-added = { $mention } steht jetzt am Ende Ihres Textes.
forum-reactions-summary = Reaktionen:
forum-reaction-yours = mit Ihrer
forum-post-more = Reagieren und mehr
forum-post-page-title = Beitrag { $number } in „{ $title }“
forum-post-back = Zurück zum Beitrag im Thema
forum-post-react-title = Reagieren
forum-post-react-hint = Eine Reaktion zeigt der Person, dass ihr Beitrag angekommen ist. Drücken Sie eine gedrückte Reaktion noch einmal, um sie zurückzunehmen.
forum-post-more-title = Weitere Möglichkeiten
