# Gruppen: finden, gründen, die Seite einer Gruppe, ihre Mitgliederliste.

nav-groups = Gruppen

groups-title = Gruppen
groups-intro = In Gruppen finden Mitglieder mit etwas Gemeinsamem zusammen: einer Erkrankung, einer Therapie, einer Region oder als Angehörige. Offenen Gruppen treten Sie sofort bei; bei geschlossenen Gruppen entscheidet erst eine Gruppenmoderation.
groups-new-link = Eine neue Gruppe gründen
groups-any = Beliebig
groups-search-title = Gruppen finden
groups-q = Wörter
groups-q-hint = Wörter aus dem Namen oder der Beschreibung der Gruppe.
groups-condition = Erkrankung
groups-therapy = Therapie
groups-region = Region
groups-search-submit = Gruppen finden
groups-results-title = Gefundene Gruppen
groups-none = Keine Gruppe passt. Versuchen Sie es mit weniger Kriterien.
groups-pages = Seiten der Gruppen
groups-first-page = Erste Seite
groups-next-page = Nächste Seite

groups-visibility-open = Offene Gruppe
groups-visibility-closed = Geschlossene Gruppe
groups-visibility-secret = Geheime Gruppe
groups-mode-online = trifft sich online
groups-mode-local = trifft sich vor Ort
groups-alias-group = Mitglieder erscheinen unter einem Alias

groups-fact-kind = Art
groups-fact-role = Nur für
groups-fact-region = Region
groups-fact-conditions = Erkrankungen
groups-fact-therapies = Therapien
groups-fact-medications = Medikamente
groups-fact-members = Mitglieder
groups-members-fewer-than = weniger als { $threshold }

groups-membership-title = Ihre Mitgliedschaft
groups-membership-none = Sie sind nicht Mitglied dieser Gruppe.
groups-membership-requested = Sie haben um Aufnahme gebeten. Eine Gruppenmoderation entscheidet.
groups-membership-invited = Sie sind in diese Gruppe eingeladen.
groups-membership-member = Sie sind Mitglied dieser Gruppe.
groups-membership-moderator = Sie moderieren diese Gruppe.
groups-membership-role-restricted = Diese Gruppe ist für Mitglieder einer anderen Rolle.
groups-role-shown = Diese Gruppe ist nur für Mitglieder mit der Rolle „{ $role }“. Deshalb sehen ihre Mitglieder die Rolle jedes Mitglieds: Wenn Sie beitreten, zeigen Sie ihnen Ihre.
groups-role-verified = Beitreten können nur Mitglieder, die der Verein als Fachleute bestätigt hat; die Angabe im Profil zählt nicht.
groups-my-alias = In dieser Gruppe erscheinen Sie als „{ $alias }“. Anderen Mitgliedern wird nicht gezeigt, wer hinter diesem Alias steht.
groups-alias-model-title = Was ein Alias schützt und was nicht
groups-alias-model-protects = Kindred zeigt den anderen Mitgliedern, auch dem Team des Vereins, hier nur Ihren Alias: Die Mitgliederliste nennt nur die Moderatoren der Gruppe, keine Mitgliederzahl wird gezeigt, und wer Sie eingeladen hat, erfährt nicht, ob Sie angenommen haben.
groups-alias-model-not = Ein Alias schützt Sie nicht vor dem, was Sie schreiben (Ihr Stil, Einzelheiten, die Sie nennen), vor dem Zeitpunkt, zu dem Sie schreiben (ein erster Beitrag kurz nach einer Einladung), vor einer kleinen Gruppe, in der nur wenige Sie sein können, vor Mitgliedern oder Moderatoren, die sich austauschen, und vor allen mit Zugang zum Server oder seiner Datenbank, die jeden Alias mit seinem Konto verbindet.

groups-join = Der Gruppe beitreten
groups-request = Um Aufnahme bitten
groups-accept = Einladung annehmen
groups-leave = Gruppe verlassen
groups-withdraw = Meine Anfrage zurückziehen
groups-decline-invitation = Einladung ablehnen

groups-parent = Gehört zu:
groups-in-group-title = In dieser Gruppe
groups-forum-link = Das Forum der Gruppe
groups-members-link = Mitglieder der Gruppe
groups-new-subgroup-link = Eine Untergruppe gründen
groups-subgroups-title = Untergruppen
groups-back-to-list = Alle Gruppen

groups-member-list-members = Alle Mitglieder des Vereins, die die Gruppe sehen
groups-member-list-group = Nur die Mitglieder dieser Gruppe
groups-member-list-moderators = Nur die Moderation der Gruppe

groups-new-title = Eine neue Gruppe gründen
groups-new-intro = Sie werden das erste Mitglied der Gruppe und moderieren sie.
groups-new-subgroup = Diese Gruppe wird eine Untergruppe.
groups-none-chosen = Keine
groups-new-name = Name
groups-new-name-hint = 3 bis 80 Zeichen.
groups-new-description = Beschreibung
groups-new-description-hint = Worum es in der Gruppe geht und für wen sie ist.
groups-new-visibility = Wer sie finden und beitreten kann
groups-new-visibility-hint = Offen: alle können beitreten. Geschlossen: die Moderation entscheidet. Geheim: nur auf Einladung, und für alle anderen unsichtbar.
groups-new-member-list = Wer die Mitgliederliste sieht
groups-new-member-list-hint = In einer Alias-Gruppe werden nur Aliasse gezeigt.
groups-new-mode = Wo sie sich trifft
groups-new-mode-hint = Online oder an einem Ort.
groups-new-alias-mode = Mitglieder erscheinen unter einem Alias
groups-new-alias-mode-hint = Jedes Mitglied bekommt einen Alias nur für diese Gruppe. Kindred zeigt niemandem, auch nicht dem Team des Vereins, wer dahinter steht; die Seite der Gruppe sagt, wovor ein Alias nicht schützt. Eine Untergruppe einer Alias-Gruppe ist immer auch eine.
groups-new-anonymous = Anonyme Beiträge im Forum der Gruppe sind erlaubt
groups-new-role = Nur für Mitglieder, die sind
groups-new-role-hint = Leer lassen für eine Gruppe, die allen Rollen offensteht.
groups-new-region = Region
groups-new-conditions = Erkrankungen
groups-new-therapies = Therapien
groups-new-medications = Medikamente
groups-new-submit = Gruppe gründen

groups-new-problem-name = Bitte geben Sie einen Namen mit 3 bis 80 Zeichen ohne Steuerzeichen an.
groups-new-problem-description = Bitte halten Sie die Beschreibung bei höchstens 4000 Zeichen.
groups-new-problem-visibility = Bitte wählen Sie, wer die Gruppe finden und ihr beitreten kann.
groups-new-problem-member-list = Bitte wählen Sie, wer die Mitgliederliste sieht.
groups-new-problem-mode = Bitte wählen Sie, wo sich die Gruppe trifft.
groups-new-problem-conditions = Bitte wählen Sie Erkrankungen aus der Liste (höchstens 20).
groups-new-problem-therapies = Bitte wählen Sie Therapien aus der Liste (höchstens 20).
groups-new-problem-medications = Bitte wählen Sie Medikamente aus der Liste (höchstens 20).
groups-new-problem-region = Bitte wählen Sie eine Region aus der Liste.
groups-new-problem-role-restriction = Bitte wählen Sie eine Rolle aus der Liste.

groups-done-created = Ihre Gruppe ist gegründet.
groups-done-joined = Willkommen in der Gruppe.
groups-done-requested = Ihre Anfrage ist an die Moderation der Gruppe geschickt.
groups-done-left = Sie haben die Gruppe verlassen.
groups-done-declined = Die Einladung ist abgelehnt.
groups-done-invited = Die Einladung ist verschickt.
groups-done-approved = Die Anfrage ist angenommen.
groups-done-request-declined = Die Anfrage ist abgelehnt.
groups-done-moderator = Das Mitglied moderiert jetzt die Gruppe.
groups-done-withdrawn = Ihre Anfrage ist zurückgezogen.

groups-problem-forbidden = Das dürfen hier nur manche Mitglieder.
groups-problem-role-restricted = Diese Gruppe ist für Mitglieder einer anderen Rolle.
groups-problem-already-member = Schon Mitglied dieser Gruppe.
groups-problem-already-requested = Ihre Anfrage wartet schon auf die Moderation.
groups-problem-already-invited = Dieses Mitglied ist schon eingeladen.
groups-problem-request-pending = Dieses Mitglied hat um Aufnahme gebeten; bitte nehmen Sie die Anfrage an.
groups-problem-not-member = Sie sind nicht in dieser Gruppe.
groups-problem-not-invited = Es gibt keine Einladung zu beantworten.
groups-problem-last-moderator = Als letzte Moderation können Sie nicht gehen, solange andere bleiben. Bitte machen Sie zuerst jemand anderen zur Moderation.
groups-problem-last-alias-moderator = Als letzte Moderation einer Alias-Gruppe können Sie nicht gehen, ob andere bleiben oder nicht: Sonst würden Sie erfahren, ob eine Einladung angenommen wurde. Bitte machen Sie zuerst jemand anderen zur Moderation.
groups-problem-not-found = Kein solches Mitglied und keine solche Anfrage.

groups-members-title = Mitglieder von { $group }
groups-members-alias-intro = In dieser Gruppe werden nur die Moderatoren aufgeführt, unter ihrem Alias: Eine Liste aller Aliasse würde zeigen, wer wann dazukam.
groups-requests-title = Anfragen zur Aufnahme
groups-requested-at = Gefragt am { $date }
groups-approve = Annehmen
groups-decline = Ablehnen
groups-members-list-title = Mitglieder
groups-moderator = Moderation
groups-make-moderator = Zur Moderation machen
groups-promote-title = Ein Mitglied zur Moderation machen
groups-promote-alias = Alias
groups-promote-alias-hint = Der Alias, wie er bei den Beiträgen des Mitglieds steht.
groups-no-members = Keine Mitglieder zu zeigen.
groups-invite-title = Ein Mitglied einladen
groups-invite-member = Mitglieds-ID
groups-invite-member-hint = Die ID steht am Ende der Adresse der Seite des Mitglieds.
groups-invite-submit = Einladen
people-pick-label = Pseudonym oder der Anfang eines Namens darin
people-pick-hint = Danach wählen Sie unter den gefundenen Mitgliedern. Nur Mitglieder, die Sie finden dürfen, werden gezeigt.
people-pick-find = Suchen
people-pick-choose = { $count ->
    [one] Gefundenes Mitglied: zum Einladen auswählen
   *[other] { $count } Mitglieder gefunden: wählen Sie, wen Sie einladen
}
people-pick-none = Kein Mitglied, das Sie finden dürfen, hat einen solchen Namen. Versuchen Sie den Anfang eines anderen Wortes des Namens.
groups-back-to-group = Zurück zu { $group }
