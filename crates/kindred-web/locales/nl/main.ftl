skip-to-content = Naar de inhoud
nav-main = Hoofdmenu
nav-home = Start
nav-privacy = Uw privacy
nav-accessibility = Toegankelijkheid
nav-language = Taal
nav-more-label = Meer pagina's en uw account
nav-more = Meer
nav-more-news = met iets nieuws
footer-powered = Draait op Kindred: geen reclame, geen tracking, niets wordt van andere websites geladen.
text-size-label = Tekstgrootte
text-size-normal = Normaal
text-size-large = Groot
text-size-larger = Groter

## Bevestiging van ingrijpende acties (pages::confirm; het dialoogvenster van kindred.js)
confirm-cancel = Annuleren
confirm-delete-post-title = Bericht verwijderen?
confirm-delete-post-question = Weet u zeker dat u dit bericht wilt verwijderen? De tekst kan niet worden teruggehaald.
confirm-delete-post-yes = Bericht verwijderen
confirm-end-contact-title = Contact beëindigen?
confirm-end-contact-question = Weet u zeker dat u dit contact wilt beëindigen? Diegene ziet dan niet meer wat u voor uw contactniveaus hebt gedeeld.
confirm-end-contact-yes = Contact beëindigen
confirm-block-title = Lid blokkeren?
confirm-block-question = Weet u zeker dat u dit lid wilt blokkeren? Een contact tussen u eindigt en u ziet elkaar niet meer.
confirm-block-yes = Blokkeren
confirm-leave-group-title = Groep verlaten?
confirm-leave-group-question = Weet u zeker dat u deze groep wilt verlaten? Om terug te komen moet u misschien opnieuw een verzoek doen.
confirm-leave-group-yes = Groep verlaten
confirm-end-session-title = Sessie beëindigen?
confirm-end-session-question = Weet u zeker dat u deze sessie wilt beëindigen? Op dat apparaat moet opnieuw worden ingelogd.
confirm-end-session-yes = Sessie beëindigen
confirm-leave-conversation-title = Gesprek verlaten?
confirm-leave-conversation-question = Weet u zeker dat u dit gesprek wilt verlaten? Het verdwijnt uit uw berichten.
confirm-leave-conversation-yes = Gesprek verlaten
confirm-unregister-event-title = Aanmelding intrekken?
confirm-unregister-event-question = Weet u zeker dat u uw aanmelding voor deze activiteit wilt intrekken? Uw plaats kan naar iemand anders gaan.
confirm-unregister-event-yes = Aanmelding intrekken
confirm-remove-passkey-title = Passkey verwijderen?
confirm-remove-passkey-question = Weet u zeker dat u deze passkey wilt verwijderen? U kunt er dan niet meer mee inloggen. Voer ter bevestiging uw wachtwoord in.
confirm-remove-passkey-yes = Passkey verwijderen
confirm-password-label = Uw wachtwoord
confirm-password-hint = Het wachtwoord waarmee u inlogt.
confirm-delete-category-title = Categorie verwijderen?
confirm-delete-category-question = Weet u zeker dat u deze categorie wilt verwijderen? Alleen een lege categorie kan worden verwijderd; dit kan niet ongedaan worden gemaakt.
confirm-delete-category-yes = Categorie verwijderen
confirm-revoke-batch-title = Uitnodigingscodes intrekken?
confirm-revoke-batch-question = Weet u zeker dat u alle ongebruikte codes van deze reeks wilt intrekken? Niemand kan ze dan nog gebruiken; dit kan niet ongedaan worden gemaakt.
confirm-revoke-batch-yes = Codes intrekken
confirm-revoke-code-title = Uitnodigingscode intrekken?
confirm-revoke-code-question = Weet u zeker dat u deze uitnodigingscode wilt intrekken? Niemand kan hem dan nog gebruiken; dit kan niet ongedaan worden gemaakt.
confirm-revoke-code-yes = Code intrekken
confirm-cancel-event-title = Activiteit afzeggen?
confirm-cancel-event-question = Weet u zeker dat u deze activiteit wilt afzeggen? Iedereen die is aangemeld of wacht, krijgt bericht, en niemand kan zich meer aanmelden.
confirm-cancel-event-yes = Activiteit afzeggen
confirm-cancel-occurrence-title = Deze datum afzeggen?
confirm-cancel-occurrence-question = Weet u zeker dat u deze datum van de reeks wilt afzeggen? Iedereen die is aangemeld of wacht, krijgt bericht.
confirm-cancel-occurrence-yes = Datum afzeggen

root-title = Kindred
root-intro = Kindred is een beschermde ontmoetingsplek voor patiëntenverenigingen. Elke vereniging beheert hier haar eigen gemeenschap.
root-associations = Verenigingen op deze server
root-none = Er is nog geen vereniging ingericht.

home-welcome-default = Welkom. Dit is een beschermde plek waar mensen in dezelfde situatie elkaar ontmoeten en open praten.
home-levels-title = U bepaalt wie wat ziet
home-levels-intro = Iedereen gebruikt hier een schuilnaam. Voor elk gegeven in uw profiel kiest u vanaf welk niveau anderen het mogen zien, en u plaatst elk contact op een niveau:
home-privacy-link = Zo werkt uw privacy
home-join-title = Zo wordt u lid
home-join-intro = Alleen mensen die de vereniging heeft gecontroleerd, kunnen meedoen. Nadat u een account hebt aangemaakt, controleert de vereniging u op een van deze manieren:
admission-member-number = met uw lidnummer
admission-letter = met een code die u per post ontvangt
admission-invitation = met een uitnodigingscode van de vereniging
admission-manual = door iemand van de vereniging die uw aanvraag bekijkt
home-crisis-title = Hulp in een crisis
home-crisis-intro = Bent u of is iemand anders in gevaar, of is er nu hulp nodig? Bel dan:
home-to-account = Uw account en controle
member-home-title = Welkom, { $name }
member-home-welcome-title = Fijn dat u er bent
member-home-welcome-intro = Drie eerste stappen, elk in uw eigen tempo:
member-home-step-profile = Vul uw profiel aan en kies wie wat ziet
member-home-step-profile-why = elk gegeven heeft een eigen niveau, en u plaatst elk contact op een niveau.
member-home-step-preview = Zo zien anderen u
member-home-step-group = Vind een groep van mensen in uw situatie
member-home-step-hello = Zeg hallo op het forum
member-home-news-title = Nieuw voor u
member-home-nothing-new = Sinds uw laatste bezoek is er niets nieuws voor u.
member-home-notifications-link = Alle meldingen
member-home-all-notifications = Alle meldingen ({ $count } ongelezen)
member-home-unread-title = Onderwerpen met berichten die u nog niet hebt gelezen
member-home-unread-none = U hebt alle berichten in de onderwerpen hieronder gelezen.
member-home-latest-title = Nieuw op het forum en in uw groepen
member-home-latest-none = Er zijn nog geen onderwerpen.
member-home-forum-link = Naar het forum
member-home-groups-title = Uw groepen
member-home-groups-none = U zit nog niet in een groep.
member-home-groups-link = Groepen vinden
member-home-group-alias = hier heet u { $alias }
member-home-topic-in = In
member-home-messages-title = Berichten
member-home-messages-unread = { $count ->
    [one] Eén ongelezen bericht
   *[other] { $count } ongelezen berichten
}
member-home-messages-none = Geen ongelezen berichten.
member-home-messages-link = Uw gesprekken
member-home-events-title = Komende bijeenkomsten
member-home-events-none = Er zijn geen bijeenkomsten gepland.
member-home-events-link = Alle bijeenkomsten
member-home-event-cancelled = gaat niet door

level-1-explained = alle gecontroleerde leden van de vereniging.
level-2-explained = contacten die u op dit niveau of hoger hebt geplaatst.
level-3-explained = contacten die u meer vertrouwt, op dit niveau of hoger.
level-4-explained = contacten die mogen weten wie u bent.

privacy-title = Zo werkt uw privacy
privacy-intro = Uw privacy is hier het belangrijkste. Deze pagina legt in gewone woorden uit wat anderen van u kunnen zien, en wat wij nooit doen.
privacy-pseudonym = U bent bekend onder een schuilnaam die u zelf kiest. Andere gecontroleerde leden zien altijd uw schuilnaam, en verder niets, tenzij u dat toestaat.
privacy-levels-title = Vier niveaus
privacy-private = U kunt een gegeven ook privé houden: dan ziet alleen u het.
privacy-contacts = Voor elk contact kiest u welk niveau die van u ziet. U kunt dat altijd veranderen, en de wijziging geldt meteen en overal. Een contact kan u om een hoger niveau vragen; u beslist, en die persoon hoort alleen uw antwoord.
privacy-search-title = Zoeken
privacy-search = Anderen kunnen u alleen via een gegeven vinden als ze dat gegeven mogen zien. U kunt er ook voor kiezen helemaal niet gevonden te worden.
privacy-counts = Waar wordt getoond hoeveel leden iets heeft (een groep, een statistiek), wordt een aantal onder { $threshold } nooit getoond, zodat niemand eruit gepikt kan worden; alleen de moderators van een groep zien hoeveel leden die heeft.
privacy-staff-title = Wat medewerkers van de vereniging zien
privacy-staff = Medewerkers zien alleen wat ze voor hun werk nodig hebben, en elke keer dat ze persoonlijke gegevens, meldingen of voor leden verborgen inhoud bekijken, wordt vastgelegd. Niemand, ook de medewerkers niet, kan uitzoeken wie een anoniem bericht schreef.
privacy-third-parties-title = Geen derden
privacy-third-parties = Deze pagina's laden niets van andere websites: geen reclame, geen tracking, geen lettertypen of video's van elders. We plaatsen alleen één cookie, als u inlogt.
privacy-data-title = Uw gegevens zijn van u
privacy-data = Gezondheidsgegevens, uw foto en het bericht bij een contactverzoek worden versleuteld opgeslagen. Elk gegeven in uw profiel kunt u zelf wijzigen of verwijderen, en uw toestemming voor gezondheidsgegevens kunt u altijd intrekken: uw gezondheidsgegevens worden dan meteen gewist.

accessibility-title = Toegankelijkheid
accessibility-intro = Iedereen moet deze website kunnen gebruiken, ook mensen met een schermlezer, alleen een toetsenbord of grote letters.
accessibility-keyboard-title = Met het toetsenbord
accessibility-keyboard = Met de Tab-toets gaat u van link naar link, met Enter volgt u een link. De eerste Tab toont een link die direct naar de inhoud springt.
accessibility-text-title = Grotere letters
accessibility-text = U kunt de letters groter maken met de knoppen onderaan elke pagina, of met de zoom van uw browser (Ctrl en +). De pagina's werken ook op dubbele grootte.
accessibility-motion-title = Minder beweging, meer contrast
accessibility-motion = Als uw apparaat is ingesteld op minder beweging of hoog contrast, volgen deze pagina's die instelling.
accessibility-js-title = Zonder JavaScript
accessibility-js = Elke pagina werkt zonder JavaScript. Scripts voegen alleen kleine gemakken toe.
accessibility-report-title = Meld ons een probleem
accessibility-report = Is iets moeilijk te gebruiken? Laat het de vereniging weten. We streven naar WCAG 2.2 niveau AA.

error-not-found-title = Pagina niet gevonden
error-not-found-text = Op dit adres staat niets. Misschien is de link oud of verkeerd getypt.
error-method-not-allowed-title = Hier niet mogelijk
error-method-not-allowed-text = Deze pagina kan zo niet gebruikt worden.
error-timeout-title = Dit duurde te lang
error-timeout-text = Het verzoek duurde te lang. Probeer het nog eens.
error-too-large-title = Te veel gegevens
error-too-large-text = Wat u stuurde, is te groot.
error-rate-limited-title = Iets rustiger graag
error-rate-limited-text = Er waren te veel verzoeken. Wacht even en probeer het dan opnieuw.
error-bad-request-title = Er klopt iets niet met het verzoek
error-bad-request-text = Het verzoek kon niet worden begrepen.
error-server-error-title = Er ging iets mis
error-server-error-text = Er ging bij ons iets fout. Probeer het later nog eens.
error-status = Foutcode: { $status }
error-home-link = Naar de startpagina

## Times relative to now (pages::text::when); the exact time stands beside them.
when-now = zojuist
when-minutes-ago = { $count ->
    [one] 1 minuut geleden
   *[other] { $count } minuten geleden
}
when-minutes-ahead = { $count ->
    [one] over 1 minuut
   *[other] over { $count } minuten
}
when-hours-ago = { $count ->
    [one] 1 uur geleden
   *[other] { $count } uur geleden
}
when-hours-ahead = { $count ->
    [one] over 1 uur
   *[other] over { $count } uur
}
when-days-ago = { $count ->
    [one] 1 dag geleden
   *[other] { $count } dagen geleden
}
when-days-ahead = { $count ->
    [one] over 1 dag
   *[other] over { $count } dagen
}

## Legal pages (terms of use, imprint, contact), set in the association's [legal] settings
footer-legal-nav = Juridische informatie
legal-terms-title = Gebruiksvoorwaarden
legal-terms-version = Versie { $version }. Wie zich aanmeldt, gaat akkoord met deze versie.
legal-terms-default-1 = { $association } biedt deze gemeenschap aan mensen die met een ziekte leven en aan hun naasten. Ga vriendelijk met elkaar om en respecteer dat ieder zelf beslist wat hij of zij met wie deelt.
legal-terms-default-2 = Wat u hier over anderen te weten komt, blijft hier. Geef niet door wat anderen met u hebben gedeeld en probeer niet te achterhalen wie achter een pseudoniem of een alias zit.
legal-terms-default-3 = Ervaringen die hier worden gedeeld, zijn geen medisch advies. Overleg met uw arts voordat u een behandeling verandert. Bel in een noodgeval het alarmnummer.
legal-terms-default-4 = De moderatoren kunnen berichten verbergen en accounts blokkeren die deze regels overtreden. U kunt uw lidmaatschap altijd beëindigen, uw gegevens meenemen en laten wissen.
legal-terms-register = Aanmelden bij deze vereniging
legal-imprint-title = Colofon
legal-imprint-default-1 = Deze gemeenschap wordt beheerd door { $association }.
legal-imprint-default-2 = De vereniging heeft de gegevens van haar colofon (adres, wie haar vertegenwoordigt, inschrijving) hier nog niet gepubliceerd. Gebruik de contactpagina om haar te bereiken.
legal-contact-title = Contact
legal-contact-default-1 = Met vragen, suggesties of een probleem met deze website kunt u { $association } bereiken. Aangemelde leden kunnen ook de moderatoren schrijven.
legal-contact-email = E-mail:
accessibility-report-email = Schrijf naar
accessibility-report-contact = Andere manieren om de vereniging te bereiken:
