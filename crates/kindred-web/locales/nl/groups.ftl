# Groepen: vinden, oprichten, de pagina van een groep, de ledenlijst.

nav-groups = Groepen

groups-title = Groepen
groups-intro = In groepen komen leden samen die iets gemeen hebben: een aandoening, een therapie, een regio, of naaste zijn. Bij open groepen wordt u meteen lid; bij gesloten groepen beslist eerst een groepsmoderator.
groups-new-link = Een nieuwe groep oprichten
groups-any = Om het even
groups-search-title = Groepen vinden
groups-q = Woorden
groups-q-hint = Woorden uit de naam of de beschrijving van de groep.
groups-condition = Aandoening
groups-therapy = Therapie
groups-region = Regio
groups-search-submit = Groepen vinden
groups-results-title = Gevonden groepen
groups-none = Geen groep past. Probeer minder criteria.
groups-pages = Pagina's met groepen
groups-first-page = Eerste pagina
groups-next-page = Volgende pagina

groups-visibility-open = Open groep
groups-visibility-closed = Gesloten groep
groups-visibility-secret = Geheime groep
groups-mode-online = komt online samen
groups-mode-local = komt ter plaatse samen
groups-alias-group = leden verschijnen onder een alias

groups-fact-kind = Soort
groups-fact-role = Alleen voor
groups-fact-region = Regio
groups-fact-conditions = Aandoeningen
groups-fact-therapies = Therapieën
groups-fact-medications = Medicijnen
groups-fact-members = Leden
groups-members-fewer-than = minder dan { $threshold }

groups-membership-title = Uw lidmaatschap
groups-membership-none = U bent geen lid van deze groep.
groups-membership-requested = U hebt gevraagd om lid te worden. Een groepsmoderator beslist.
groups-membership-invited = U bent uitgenodigd voor deze groep.
groups-membership-member = U bent lid van deze groep.
groups-membership-moderator = U bent moderator van deze groep.
groups-membership-role-restricted = Deze groep is voor leden met een andere rol.
groups-role-shown = Deze groep is alleen voor leden met de rol ‘{ $role }’. Daarom zien de leden elkaars rol: als u lid wordt, laat u hun de uwe zien.
groups-role-verified = Alleen leden die de vereniging als professional heeft bevestigd, kunnen lid worden; wat een profiel zegt, telt niet.
groups-my-alias = In deze groep verschijnt u als ‘{ $alias }’. Andere leden krijgen niet te zien wie achter deze alias zit.
groups-alias-model-title = Wat een alias beschermt, en wat niet
groups-alias-model-protects = Kindred toont de andere leden, ook de medewerkers van de vereniging, hier alleen uw alias: de ledenlijst noemt alleen de moderators van de groep, er wordt geen ledenaantal getoond, en wie u uitnodigde hoort niet of u het hebt aangenomen.
groups-alias-model-not = Een alias beschermt u niet tegen wat u schrijft (uw stijl, details die u noemt), tegen wanneer u schrijft (een eerste bericht kort na een uitnodiging), tegen een kleine groep waarin maar weinigen u kunnen zijn, tegen leden of moderators die informatie uitwisselen, of tegen iedereen met toegang tot de server of de database, die elke alias aan een account koppelt.

groups-join = Lid worden
groups-request = Vragen om lid te worden
groups-accept = De uitnodiging aannemen
groups-leave = De groep verlaten
groups-withdraw = Mijn verzoek intrekken
groups-decline-invitation = De uitnodiging afwijzen

groups-parent = Hoort bij:
groups-in-group-title = In deze groep
groups-forum-link = Het forum van de groep
groups-members-link = Leden van de groep
groups-new-subgroup-link = Een subgroep oprichten
groups-subgroups-title = Subgroepen
groups-back-to-list = Alle groepen

groups-member-list-members = Ieder lid van de vereniging dat de groep ziet
groups-member-list-group = Alleen de leden van deze groep
groups-member-list-moderators = Alleen de moderatoren van de groep

groups-new-title = Een nieuwe groep oprichten
groups-new-intro = U wordt het eerste lid van de groep en de moderator.
groups-new-subgroup = Deze groep wordt een subgroep.
groups-none-chosen = Geen
groups-new-name = Naam
groups-new-name-hint = 3 tot 80 tekens.
groups-new-description = Beschrijving
groups-new-description-hint = Waar de groep over gaat en voor wie ze is.
groups-new-visibility = Wie haar kan vinden en lid kan worden
groups-new-visibility-hint = Open: iedereen kan lid worden. Gesloten: een moderator beslist. Geheim: alleen op uitnodiging, en onzichtbaar voor alle anderen.
groups-new-member-list = Wie de ledenlijst ziet
groups-new-member-list-hint = In een aliasgroep worden alleen aliassen getoond.
groups-new-mode = Waar ze samenkomt
groups-new-mode-hint = Online, of op één plek.
groups-new-alias-mode = Leden verschijnen onder een alias
groups-new-alias-mode-hint = Ieder lid krijgt een alias voor alleen deze groep. Kindred toont niemand, ook de medewerkers niet, wie erachter zit; de pagina van de groep zegt waartegen een alias niet beschermt. Een subgroep van een aliasgroep is er altijd ook een.
groups-new-anonymous = Anonieme berichten zijn toegestaan in het forum van de groep
groups-new-role = Alleen voor leden die zijn
groups-new-role-hint = Leeg laten voor een groep die voor iedere rol open is.
groups-new-region = Regio
groups-new-conditions = Aandoeningen
groups-new-therapies = Therapieën
groups-new-medications = Medicijnen
groups-new-submit = De groep oprichten

groups-new-problem-name = Geef een naam van 3 tot 80 tekens, zonder stuurtekens.
groups-new-problem-description = Houd de beschrijving bij ten hoogste 4000 tekens.
groups-new-problem-visibility = Kies wie de groep kan vinden en lid kan worden.
groups-new-problem-member-list = Kies wie de ledenlijst ziet.
groups-new-problem-mode = Kies waar de groep samenkomt.
groups-new-problem-conditions = Kies aandoeningen uit de lijst (ten hoogste 20).
groups-new-problem-therapies = Kies therapieën uit de lijst (ten hoogste 20).
groups-new-problem-medications = Kies medicijnen uit de lijst (ten hoogste 20).
groups-new-problem-region = Kies een regio uit de lijst.
groups-new-problem-role-restriction = Kies een rol uit de lijst.

groups-done-created = Uw groep is opgericht.
groups-done-joined = Welkom in de groep.
groups-done-requested = Uw verzoek is naar de moderatoren van de groep gestuurd.
groups-done-left = U hebt de groep verlaten.
groups-done-declined = De uitnodiging is afgewezen.
groups-done-invited = De uitnodiging is verstuurd.
groups-done-approved = Het verzoek is aangenomen.
groups-done-request-declined = Het verzoek is afgewezen.
groups-done-moderator = Het lid is nu moderator van de groep.
groups-done-withdrawn = Uw verzoek is ingetrokken.

groups-problem-forbidden = Alleen sommige leden mogen dit hier.
groups-problem-role-restricted = Deze groep is voor leden met een andere rol.
groups-problem-already-member = Al lid van deze groep.
groups-problem-already-requested = Uw verzoek wacht al op een groepsmoderator.
groups-problem-already-invited = Dit lid is al uitgenodigd.
groups-problem-request-pending = Dit lid heeft gevraagd om lid te worden; neem het verzoek liever aan.
groups-problem-not-member = U zit niet in deze groep.
groups-problem-not-invited = Er is geen uitnodiging om te beantwoorden.
groups-problem-last-moderator = Als laatste moderator kunt u niet weggaan zolang anderen blijven. Maak eerst iemand anders moderator.
groups-problem-last-alias-moderator = Als laatste moderator van een aliasgroep kunt u niet weggaan, of anderen blijven of niet: anders zou u te weten komen of een uitnodiging is aangenomen. Maak eerst iemand anders moderator.
groups-problem-not-found = Geen zulk lid of verzoek.

groups-members-title = Leden van { $group }
groups-members-alias-intro = In deze groep worden alleen de moderators genoemd, onder hun alias: een lijst van alle aliassen zou tonen wie wanneer erbij kwam.
groups-requests-title = Verzoeken om lid te worden
groups-requested-at = Gevraagd op { $date }
groups-approve = Aannemen
groups-decline = Afwijzen
groups-members-list-title = Leden
groups-moderator = Moderator
groups-make-moderator = Moderator maken
groups-promote-title = Een lid moderator maken
groups-promote-alias = Alias
groups-promote-alias-hint = De alias zoals die bij de berichten van het lid staat.
groups-no-members = Geen leden om te tonen.
groups-invite-title = Een lid uitnodigen
groups-invite-member = Lid-id
groups-invite-member-hint = De id staat aan het eind van het adres van de pagina van het lid.
groups-invite-submit = Uitnodigen
people-pick-label = Pseudoniem of het begin van een naam erin
people-pick-hint = Kies daarna uit de gevonden leden. Alleen leden die u mag vinden worden getoond.
people-pick-find = Zoeken
people-pick-choose = { $count ->
    [one] Lid gevonden: kies om uit te nodigen
   *[other] { $count } leden gevonden: kies wie u uitnodigt
}
people-pick-none = Geen lid dat u mag vinden heeft zo'n naam. Probeer het begin van een ander woord van de naam.
groups-back-to-group = Terug naar { $group }
