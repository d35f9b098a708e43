# The "du" form of the German texts in groups.ftl (form_of_address = "du").
groups-intro = In Gruppen finden Mitglieder mit etwas Gemeinsamem zusammen: einer Erkrankung, einer Therapie, einer Region oder als Angehörige. Offenen Gruppen trittst du sofort bei; bei geschlossenen Gruppen entscheidet erst eine Gruppenmoderation.
groups-none = Keine Gruppe passt. Versuch es mit weniger Kriterien.
groups-membership-title = Deine Mitgliedschaft
groups-membership-none = Du bist nicht Mitglied dieser Gruppe.
groups-membership-requested = Du hast um Aufnahme gebeten. Eine Gruppenmoderation entscheidet.
groups-membership-invited = Du bist in diese Gruppe eingeladen.
groups-membership-member = Du bist Mitglied dieser Gruppe.
groups-membership-moderator = Du moderierst diese Gruppe.
groups-role-shown = Diese Gruppe ist nur für Mitglieder mit der Rolle „{ $role }“. Deshalb sehen ihre Mitglieder die Rolle jedes Mitglieds: Wenn du beitrittst, zeigst du ihnen deine.
groups-my-alias = In dieser Gruppe erscheinst du als „{ $alias }“. Anderen Mitgliedern wird nicht gezeigt, wer hinter diesem Alias steht.
groups-alias-model-protects = Kindred zeigt den anderen Mitgliedern, auch dem Team des Vereins, hier nur deinen Alias: Die Mitgliederliste nennt nur die Moderatoren der Gruppe, keine Mitgliederzahl wird gezeigt, und wer dich eingeladen hat, erfährt nicht, ob du angenommen hast.
groups-alias-model-not = Ein Alias schützt dich nicht vor dem, was du schreibst (dein Stil, Einzelheiten, die du nennst), vor dem Zeitpunkt, zu dem du schreibst (ein erster Beitrag kurz nach einer Einladung), vor einer kleinen Gruppe, in der nur wenige infrage kommen, vor Mitgliedern oder Moderatoren, die sich austauschen, und vor allen mit Zugang zum Server oder seiner Datenbank, die jeden Alias mit seinem Konto verbindet.
groups-new-intro = Du wirst das erste Mitglied der Gruppe und moderierst sie.
groups-new-problem-name = Bitte gib einen Namen mit 3 bis 80 Zeichen ohne Steuerzeichen an.
groups-new-problem-description = Bitte halte die Beschreibung bei höchstens 4000 Zeichen.
groups-new-problem-visibility = Bitte wähle, wer die Gruppe finden und ihr beitreten kann.
groups-new-problem-member-list = Bitte wähle, wer die Mitgliederliste sieht.
groups-new-problem-mode = Bitte wähle, wo sich die Gruppe trifft.
groups-new-problem-conditions = Bitte wähle Erkrankungen aus der Liste (höchstens 20).
groups-new-problem-therapies = Bitte wähle Therapien aus der Liste (höchstens 20).
groups-new-problem-medications = Bitte wähle Medikamente aus der Liste (höchstens 20).
groups-new-problem-region = Bitte wähle eine Region aus der Liste.
groups-new-problem-role-restriction = Bitte wähle eine Rolle aus der Liste.
groups-done-created = Deine Gruppe ist gegründet.
groups-done-requested = Deine Anfrage ist an die Moderation der Gruppe geschickt.
groups-done-left = Du hast die Gruppe verlassen.
groups-done-withdrawn = Deine Anfrage ist zurückgezogen.
groups-problem-already-requested = Deine Anfrage wartet schon auf die Moderation.
groups-problem-request-pending = Dieses Mitglied hat um Aufnahme gebeten; bitte nimm die Anfrage an.
groups-problem-not-member = Du bist nicht in dieser Gruppe.
groups-problem-last-moderator = Als letzte Moderation kannst du nicht gehen, solange andere bleiben. Bitte mach zuerst jemand anderen zur Moderation.
people-pick-hint = Danach wählst du unter den gefundenen Mitgliedern. Nur Mitglieder, die du finden darfst, werden gezeigt.
people-pick-choose = { $count ->
    [one] Gefundenes Mitglied: zum Einladen auswählen
   *[other] { $count } Mitglieder gefunden: wähle, wen du einlädst
}
people-pick-none = Kein Mitglied, das du finden darfst, hat einen solchen Namen. Versuch den Anfang eines anderen Wortes des Namens.
