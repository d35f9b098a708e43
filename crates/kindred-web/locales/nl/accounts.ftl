# Accounts, toelating en de pagina's voor het team. Eenvoudige, vriendelijke
# woorden: veel lezers leven met een chronische ziekte, of zorgen voor iemand
# die dat doet.

nav-sign-in = Inloggen
nav-register = Registreren
nav-account = Mijn account
nav-staff = Beheer
nav-sign-out = Uitloggen

error-forbidden-title = Niet toegestaan
error-forbidden-text = U kunt deze pagina niet openen.

## Formulieren

form-problems-title = Controleer het volgende
form-error-prefix = Fout:
form-error-title-prefix = Fout:
form-all-needed = Vul alstublieft alle velden in.

field-email = E-mailadres
field-pseudonym = Schuilnaam
field-password = Wachtwoord
field-new-password = Nieuw wachtwoord
field-current-password = Huidig wachtwoord
field-code = Code
field-app-code = Code uit de app
field-member-number = Lidnummer
field-postcode = Postcode
field-birth-date = Geboortedatum
field-full-name = Voor- en achternaam
field-street = Straat en huisnummer
field-city = Woonplaats
field-letter-code = Code uit de brief
field-invitation-code = Uitnodigingscode

password-rules = Minstens 10 tekens. Er zijn geen andere regels: een zin die u goed kunt onthouden is een goede keuze.
birth-date-hint = Bijvoorbeeld 17-03-1968.

problem-email-invalid = Vul een e-mailadres in zoals naam@voorbeeld.nl.
problem-password-too-short = Het wachtwoord moet minstens 10 tekens hebben.
problem-password-too-long = Het wachtwoord mag hoogstens 1024 tekens hebben.
problem-password-common = Dit wachtwoord is een van de meest gebruikte en makkelijk te raden. Kies alstublieft een ander.
problem-pseudonym-length = De schuilnaam moet 3 tot 60 tekens hebben.
problem-pseudonym-characters = De schuilnaam mag alleen letters, cijfers, spaties en de tekens . _ - bevatten.
problem-pseudonym-unusual = De schuilnaam mag geen onzichtbare tekens of bijzondere vormen van letters (zoals letters van volle breedte) bevatten.
problem-pseudonym-mixed-scripts = De schuilnaam mag geen letters van verschillende schriften mengen (zoals Latijnse en Cyrillische).
problem-pseudonym-taken = Iemand hier gebruikt deze schuilnaam al, of een die er net zo uitziet. Kies alstublieft een andere.
problem-terms-not-accepted = Ga alstublieft akkoord met de gebruiksvoorwaarden en de privacyverklaring. Zonder uw akkoord kunnen we geen account maken.
problem-password-wrong = Dit is niet uw huidige wachtwoord.
problem-password-confirm = Vul uw wachtwoord in om deze wijziging te bevestigen.
problem-code-wrong = Deze code klopt niet of is al gebruikt. Controleer hem en probeer het opnieuw.

refused-title = Het formulier kon niet worden verstuurd
refused-text = Voor uw veiligheid nemen we alleen formulieren aan die van deze website komen, en uit de sessie waarin ze getoond werden.
refused-hint = Misschien stond de pagina lang open, of bent u in een ander venster uitgelogd. Ga terug, laad de pagina opnieuw en probeer het nog eens.

wait-title = Een ogenblik geduld
wait-text = Er waren te veel pogingen in korte tijd. Om uw account te beschermen hebben we dit even stilgezet.
wait-minutes = Probeer het over { $minutes ->
        [one] een minuut
       *[other] { $minutes } minuten
    } opnieuw.
wait-hours = Probeer het over { $hours } uur opnieuw.

## Aanmelden en e-mail

check-mail-title = Kijk in uw mailbox
check-mail-spam = Komt er niets aan? Kijk dan ook in uw map met ongewenste e-mail.
register-sent-text = Als met dit adres een nieuw account kan worden gemaakt, krijgt u binnen enkele minuten een e-mail met een link.
register-sent-next = Open de link om uw adres te bevestigen. Daarna kunt u inloggen en kiezen hoe de vereniging u bevestigt.

register-title = Account maken
register-intro = Stap 1 van 2: u maakt uw account. Daarna controleert de vereniging of u mag meedoen (stap 2).
register-email-hint = We sturen u een link om het te bevestigen. Andere leden zien uw adres nooit.
register-pseudonym-hint = De naam die anderen hier zien. Kies er een die niet verraadt wie u bent. 3 tot 60 tekens: letters, cijfers, spaties en . _ -
register-terms-legend = Gebruiksvoorwaarden en privacy
register-terms-hint = Versie { $version } van de gebruiksvoorwaarden en de privacyverklaring is van toepassing.
register-privacy-link = Lees hoe wij uw privacy beschermen
register-terms-label = Ik ga akkoord met de gebruiksvoorwaarden en de privacyverklaring van de vereniging.
register-submit = Account maken
register-have-account = Hebt u al een account?

bad-link-title = Deze link werkt niet
bad-link-text = De link is onvolledig, verlopen of al gebruikt.
bad-link-confirm-next = U kunt een nieuwe link aanvragen: log in en klik op uw accountpagina op ‘Link opnieuw sturen’.
bad-link-reset-next = Vraag alstublieft een nieuwe link aan om uw wachtwoord te kiezen. Die werkt een uur lang.
bad-link-sign-in = Inloggen
bad-link-new-reset = Nieuwe link aanvragen

confirm-title = Bevestig uw e-mailadres
confirm-intro = Klik op de knop om te bevestigen dat dit e-mailadres van u is.
confirm-submit = Mijn e-mailadres bevestigen
confirm-why = We vragen u op een knop te klikken, zodat programma’s die links in e-mails controleren het adres niet namens u bevestigen.
confirmed-title = Dank u, uw adres is bevestigd
confirmed-text = Uw e-mailadres is bevestigd.
confirmed-next = Volgende stap: log in en kies hoe de vereniging u kan bevestigen.
confirmed-sign-in = Inloggen
confirmed-to-account = Naar uw account
confirmed-pseudonym-taken = De gekozen schuilnaam wordt hier al gebruikt, of een die er net zo uitziet. Log in en kies alstublieft een andere.

## Inloggen

sign-in-title = Inloggen
sign-in-submit = Inloggen
sign-in-forgot = Wachtwoord vergeten?
sign-in-new = Nieuw hier?
sign-in-wrong = Het e-mailadres of het wachtwoord klopt niet.
sign-in-suspended = Dit account is geblokkeerd. Denkt u dat dit een vergissing is? Neem dan contact op met de vereniging.

second-factor-title = Nog één stap: uw code
second-factor-intro = Uw account is beveiligd met een tweede stap. Vul de code uit uw authenticator-app of een van uw herstelcodes in, of gebruik een passkey.
second-factor-hint = 6 cijfers uit de app. Hebt u uw telefoon niet bij de hand? Vul dan een van uw herstelcodes in.
second-factor-submit = Verder
second-factor-cancel = Annuleren en uitloggen

forgot-title = Wachtwoord vergeten?
forgot-intro = Vul het e-mailadres van uw account in. We sturen u een link waarmee u een nieuw wachtwoord kiest.
forgot-submit = Link sturen
forgot-back = Terug naar inloggen
forgot-sent-text = Als er een account met dit adres is, krijgt u binnen enkele minuten een e-mail met een link.
forgot-sent-next = De link werkt een uur lang.

reset-title = Kies een nieuw wachtwoord
reset-intro = Na het opslaan bent u overal uitgelogd. Daarna kunt u inloggen met uw nieuwe wachtwoord.
reset-submit = Nieuw wachtwoord opslaan

## Meldingen na een actie

notice-signed-out = U bent uitgelogd. Tot ziens!
notice-password-reset = Uw nieuwe wachtwoord is opgeslagen. Log er alstublieft mee in.
notice-confirmation-sent = We hebben u een nieuwe link gestuurd. Kijk in uw mailbox.
notice-verified = Welkom! Uw account is bevestigd.
notice-letter-requested = Dank u. De vereniging stuurt u een brief met een code. Dat kan een paar dagen duren.
notice-manual-requested = Dank u. Iemand van de vereniging bekijkt uw verzoek.
notice-password-changed = Uw wachtwoord is gewijzigd. Uw andere sessies zijn beëindigd.
notice-session-ended = De sessie is beëindigd.
notice-two-factor-removed = De authenticator-app is verwijderd. Voor inloggen is nu alleen uw wachtwoord nodig.
notice-approved = Het lid is nu bevestigd en krijgt een e-mail.
notice-already-done = Dit was intussen al gebeurd. Zo staat het er nu voor.
notice-role-changed = De rol is gewijzigd.
notice-imported = De ledenlijst is ingelezen: { $count ->
        [one] één regel
       *[other] { $count } regels
    }.

## De accountpagina

account-title = Uw account
account-signed-in-as = U bent ingelogd als { $pseudonym }.
account-standing-title = Waar u staat
account-step = Stap { $step } van 2:
account-unconfirmed = Bevestig alstublieft uw e-mailadres. We hebben een link gestuurd naar { $email }.
account-unconfirmed-help = De link werkt 48 uur. Kunt u de e-mail niet vinden? Dan sturen we hem opnieuw.
account-resend = Link opnieuw sturen
account-unverified = Uw e-mailadres is bevestigd. Nu controleert de vereniging of u mag meedoen. Tot die tijd ziet u de gemeenschap nog niet.
account-waiting-manual = Op { $since } hebt u de vereniging gevraagd uw account te controleren. Iemand bekijkt het, en u krijgt een e-mail.
account-waiting-letter = Op { $since } hebt u een brief met een code aangevraagd. Vul de code hieronder in zodra de brief er is.
account-choose-way = U kunt elk van deze manieren gebruiken:
account-active = Uw account is bevestigd. Welkom in de gemeenschap!
account-to-home = Naar de startpagina
account-needs-second-factor = De vereniging vraagt u uw account te beveiligen met inloggen in twee stappen voordat u de gemeenschap of het beheer gebruikt.
account-two-factor-link = Inloggen in twee stappen
account-settings-title = Uw instellingen
account-email-is = Uw e-mailadres: { $email }
account-sessions-link = Waar u bent ingelogd
account-password-link = Wachtwoord wijzigen
account-staff-link = Beheer
back-to-account = Terug naar uw account

admission-title-member-number = Met uw lidnummer
admission-title-letter = Met een brief per post
admission-title-invitation = Met een uitnodigingscode
admission-title-manual = Controle door een mens

verify-member-number-intro = Bent u lid van de vereniging? Vul dan uw gegevens in zoals de vereniging ze kent. Uw account is dan meteen bevestigd.
verify-member-number-hint = Zoals op uw ledenpas of in brieven van de vereniging.
verify-member-number-submit = Bevestigen
verify-member-number-no-match = Deze gegevens passen niet bij de ledenlijst van de vereniging. Controleer ze en probeer het opnieuw, of kies een andere manier.
verify-letter-intro = We sturen u een brief met een code. Uw adres wordt alleen voor deze brief gebruikt en gewist zodra u de code hebt ingevuld.
verify-letter-submit = Brief aanvragen
verify-letter-again-title = Brief niet aangekomen? Vraag een nieuwe aan
verify-letter-code-hint = 8 letters en cijfers, zoals ABCD-EFGH. Hoofdletters en streepjes maken niet uit.
verify-letter-code-submit = Code bevestigen
verify-letter-problem-full_name = Vul uw naam in, op één regel.
verify-letter-problem-street = Vul uw straat en huisnummer in, op één regel.
verify-letter-problem-postcode = Vul uw postcode in (hoogstens 12 tekens).
verify-letter-problem-city = Vul uw woonplaats in, op één regel.
verify-no-letter = Er wacht geen brief met een code op u, of de code is verlopen. Vraag alstublieft een nieuwe brief aan.
verify-letter-code-used-up = Na vijf foute pogingen werkt deze code niet meer. Vraag hieronder een nieuwe brief aan.
verify-code-wrong = Deze code klopt niet, is verlopen of is al gebruikt. Controleer hem en probeer het opnieuw.
verify-invitation-intro = Hebt u van de vereniging een uitnodigingscode gekregen? Vul die hier in.
verify-invitation-hint = 12 letters en cijfers, zoals ABCD-EFGH-JKMN. Hoofdletters en streepjes maken niet uit.
verify-invitation-submit = Code gebruiken
verify-manual-intro = Iemand van de vereniging bekijkt uw verzoek en bevestigt u met de hand. Dat kan een paar dagen duren.
verify-manual-submit = Vraag de vereniging mijn account te controleren
verify-manual-waiting = Uw verzoek ligt bij de vereniging. U krijgt een e-mail zodra het klaar is.

## Sessies, wachtwoord, inloggen in twee stappen

sessions-title = Waar u bent ingelogd
sessions-intro = Deze browsers en apps zijn ingelogd op uw account. Herkent u er een niet? Beëindig die dan en wijzig uw wachtwoord.
sessions-caption = Uw sessies, laatst gebruikte eerst
sessions-program = Programma
sessions-kind = Soort
sessions-created = Ingelogd op
sessions-last-used = Laatst gebruikt
sessions-action = Actie
sessions-this = deze sessie
sessions-end = Sessie beëindigen
sessions-kind-web = Webpagina
sessions-kind-api = App
sessions-client-unknown = Onbekend programma

password-title = Wachtwoord wijzigen
password-intro = Vul uw huidige en een nieuw wachtwoord in. Uw andere sessies worden beëindigd; hier blijft u ingelogd.
password-submit = Wachtwoord wijzigen

pseudonym-title = Kies een nieuwe schuilnaam
pseudonym-intro = De schuilnaam die u bij de aanmelding koos, wordt hier al gebruikt, of een die er net zo uitziet. Kies alstublieft een andere; alleen u kreeg dit te horen.
pseudonym-submit = Schuilnaam opslaan

two-factor-title = Inloggen in twee stappen
two-factor-intro = Bij inloggen in twee stappen hebt u uw wachtwoord nodig én een code uit een app op uw telefoon (een authenticator-app). Dan is een wachtwoord alleen niet genoeg om in uw account te komen.
two-factor-required = De vereniging vraagt u dit te gebruiken.
two-factor-active = Inloggen in twee stappen staat aan. U hebt { $count ->
        [one] één ongebruikte herstelcode
       *[other] { $count } ongebruikte herstelcodes
    }.
two-factor-remove-title = Authenticator-app verwijderen
two-factor-remove-intro = Daarna is voor inloggen alleen uw wachtwoord nodig, tenzij u ook een passkey hebt.
two-factor-remove-required = De vereniging vraagt u inloggen in twee stappen te gebruiken; zonder kunt u de gemeenschap niet gebruiken.
two-factor-remove-password-hint = Vul voor de zekerheid uw wachtwoord in.
two-factor-remove-submit = Authenticator-app verwijderen
two-factor-start = Authenticator-app instellen
two-factor-step1-title = Stap 1: voeg uw account toe aan de app
two-factor-step1-text = Open uw authenticator-app en voeg een nieuw account toe. Scan dan de QR-code.
two-factor-qr-alt = QR-code voor uw authenticator-app. Dezelfde sleutel staat hieronder als tekst.
two-factor-qr-caption = Scan deze code met uw authenticator-app.
two-factor-secret-label = Lukt scannen niet? Typ dan deze sleutel in de app:
two-factor-step2-title = Stap 2: vul de code uit de app in
two-factor-code-hint = De app toont nu een code van 6 cijfers. Die verandert elke 30 seconden.
two-factor-confirm-password-hint = Vul voor de zekerheid ook uw wachtwoord in. We laten u per e-mail weten dat inloggen in twee stappen is ingeschakeld.
two-factor-confirm-submit = Inloggen in twee stappen aanzetten

recovery-title = Uw herstelcodes
recovery-intro = Inloggen in twee stappen staat aan. Raakt u ooit uw telefoon kwijt, dan kunt u inloggen met een van deze codes in plaats van een code uit de app. Elke code werkt één keer.
recovery-keep = Bewaar ze nu op een veilige plek, bijvoorbeeld afgedrukt of opgeschreven. We tonen ze alleen deze ene keer.

role-admin = Beheerder
role-moderator = Moderator
role-professional = Professional
role-member = Lid

## Beheer

procedure-member-number = Lidnummer
procedure-letter = Brief per post
procedure-invitation = Uitnodigingscode
procedure-manual = Controle door een mens
procedure-none = Nog niet gekozen

staff-title = Beheer
staff-intro = Hier regelt u de toelating van nieuwe leden.
staff-admission-title = Toelating
staff-administration-title = Administratie
staff-verifications-title = Wachten op bevestiging
staff-verifications-about = Mensen die hun e-mailadres hebben bevestigd en op de vereniging wachten.
staff-member-list-title = Ledenlijst
staff-member-list-about = De lijst uploaden waarmee lidnummers worden gecontroleerd.
staff-letters-title = Te versturen brieven
staff-letters-about = Adressen en codes voor brieven per post, en een pdf om af te drukken.
staff-invitations-title = Uitnodigingscodes
staff-invitations-about = Codes maken die een account meteen bevestigen.
staff-roles-title = Rollen
staff-roles-about = Wie beheerder, moderator of professional is.
staff-audit-title = Logboek
staff-audit-about = Elke handeling van het beheer en elke blik op persoonlijke gegevens.
staff-audited = Elke blik op persoonlijke gegevens op deze pagina’s wordt vastgelegd in het logboek.
staff-back = Terug naar het beheer
staff-denied-title = Alleen voor het team van de vereniging
staff-denied-text = Deze pagina is voor het team van de vereniging.
staff-denied-second-factor = Voor het beheer is inloggen in twee stappen nodig. Stel eerst een authenticator-app in.
staff-verifications-intro = Deze mensen hebben hun e-mailadres bevestigd en wachten op bevestiging door de vereniging. Bevestig iemand alleen als u zeker weet dat die persoon mag meedoen.
staff-verifications-caption = { $count ->
        [one] Eén persoon wacht
       *[other] { $count } personen wachten
    }
staff-verifications-none = Er wacht op dit moment niemand.
staff-pseudonym = Schuilnaam
staff-procedure = Gekozen manier
staff-since = Wacht sinds
staff-approve = Bevestigen
staff-note = Notitie (niet verplicht)
staff-approve-submit = Bevestigen
staff-note-too-long = De notitie is te lang. Blijf alstublieft onder 2000 tekens.

member-list-intro = Plak hier de ledenlijst van de vereniging, als CSV. De nieuwe lijst vervangt de vorige.
member-list-privacy = De lijst wordt niet bewaard zoals hij is: van elke regel blijft alleen een versleutelde vingerafdruk. Daarmee kan een regel worden gecontroleerd, maar niet gelezen.
member-list-label = Ledenlijst (CSV)
member-list-hint = Eerste regel: member_number,postcode,birth_date. Daarna één lid per regel, bijvoorbeeld 10023,1234AB,17-03-1968. Een puntkomma als scheidingsteken werkt ook.
member-list-submit = Lijst inlezen
member-list-empty = Regel { $line }: de lijst is leeg. De eerste regel moet member_number,postcode,birth_date zijn.
member-list-header = Regel { $line }: de eerste regel moet member_number,postcode,birth_date zijn.
member-list-columns = Regel { $line }: er zijn 3 kolommen nodig (lidnummer, postcode, geboortedatum), maar het zijn er { $found }.
member-list-quotes = Regel { $line }: een aanhalingsteken is niet gesloten, of staat midden in een waarde.
member-list-entry-member-number = Regel { $line }: het lidnummer is niet geldig.
member-list-entry-postcode = Regel { $line }: de postcode is niet geldig.
member-list-entry-birth-date = Regel { $line }: de geboortedatum is niet geldig. Schrijf bijvoorbeeld 17-03-1968 of 1968-03-17.
member-list-too-many = Regel { $line }: de lijst is te lang. Verdeel hem alstublieft.
member-list-no-entries = De lijst heeft een eerste regel maar geen leden. Een lege lijst zou de bewaarde lijst wissen, daarom is er niets gewijzigd.

letters-intro = Mensen die een brief met een code hebben aangevraagd. Druk de brieven af en verstuur ze; met de code bevestigen de mensen zichzelf. De adressen worden gewist zodra de code is ingevuld.
letters-pdf = { $count ->
        [one] De brief
       *[other] Alle { $count } brieven
    } downloaden als pdf om af te drukken
letters-caption = Brieven die nog verstuurd moeten worden
letters-code = Code
letters-none = Er wachten geen brieven.

invitations-intro = Elke code bevestigt meteen één account, bijvoorbeeld voor de leiding van lokale groepen. Een code werkt één keer en 90 dagen lang.
invitations-new-title = { $count ->
        [one] Uw nieuwe code
       *[other] Uw { $count } nieuwe codes
    }
invitations-once = Kopieer ze nu: ze worden alleen deze ene keer getoond.
invitations-count = Hoeveel codes?
invitations-count-hint = Van 1 tot { $max }.
invitations-count-problem = Vul een getal in van 1 tot { $max }.
invitations-submit = Codes maken

roles-intro = Beheerders zorgen voor de instellingen en het team van de vereniging; moderators voor toelating en moderatie; professionals antwoorden met een badge naast hun schuilnaam.
roles-of = Rol van { $pseudonym }
roles-current = Huidige rol: { $role }.
roles-role = Rol
roles-badge = Badge (niet verplicht)
roles-badge-hint = Alleen voor professionals, bijvoorbeeld ‘Neuroloog’. Staat naast de schuilnaam.
roles-submit = Rol opslaan
roles-find-title = Een lid zoeken
roles-find-hint = De schuilnaam zoals het lid die gebruikt.
roles-find-submit = Zoeken
roles-not-found = Geen lid heeft deze schuilnaam. Controleer de spelling.
roles-list-title = Team en professionals
roles-list-caption = Iedereen met een andere rol dan lid
roles-list-none = Nog niemand heeft een bijzondere rol.
roles-change = Rol wijzigen
roles-role-problem = Kies alstublieft een rol.
roles-badge-problem = De badge mag één regel van hoogstens 60 tekens zijn.
roles-own-admin = U kunt uw eigen beheerdersrol niet zelf intrekken. Een andere beheerder kan dat doen.

audit-intro = Elke handeling van het beheer en elke blik op persoonlijke gegevens, nieuwste eerst. Het logboek kan niet worden gewijzigd.
audit-caption = Regels in het logboek, nieuwste eerst
audit-when = Wanneer
audit-who = Wie
audit-what = Wat
audit-whom = Betreft
audit-detail = Details
audit-none = Het logboek is leeg.
audit-pages = Pagina’s van het logboek
audit-older = Oudere regels
audit-newest = Nieuwste regels
audit-unknown-member = (verwijderd account)
audit-action-verifications-viewed = Wachtrij bekeken
audit-action-member-approved = Lid bevestigd
audit-action-member-suspended = Lid geblokkeerd
audit-action-member-reinstated = Blokkade opgeheven
audit-action-member-role-changed = Rol gewijzigd
audit-action-roles-viewed = Rollen bekeken
audit-action-member-viewed = Lid opgezocht
audit-action-member-list-imported = Ledenlijst ingelezen
audit-action-letter-viewed = Briefadres bekeken
audit-action-invitations-created = Uitnodigingscodes gemaakt
audit-action-audit-log-viewed = Logboek bekeken
audit-action-member-refused = Verzoek over een lid geweigerd
audit-action-letters-viewed = Te printen brieven bekeken
audit-action-reports-viewed = Meldingen bekeken
audit-action-moderation-history-viewed = Moderatiegeschiedenis bekeken
audit-action-topic-hidden-viewed = Verborgen onderwerp bekeken
audit-action-topic-hidden-listed = Verborgen onderwerp in een lijst gezien
audit-action-post-hidden-viewed = Verborgen bericht bekeken
two-factor-passkeys-title = Passkeys
two-factor-passkeys-text = Met een passkey bevestigt u het inloggen met uw vingerafdruk, gezicht of de pincode van uw apparaat in plaats van met een code.
two-factor-passkeys-link = Passkeys beheren

staff-members-title = Leden: zoeken, blokkeren, vrijgeven
staff-members-about = Leden zoeken op een deel van het pseudoniem, rol of status; een account van inloggen uitsluiten, bijvoorbeeld na misbruik, en later weer toelaten.
members-intro = Een geblokkeerd lid wordt meteen overal uitgelogd en kan pas weer inloggen na vrijgave. Beide worden met uw notitie in het logboek vastgelegd.
members-status = Status: { $status }
members-note = Notitie voor het logboek
members-note-hint = Waarom? Andere medewerkers lezen deze. Hoogstens 2000 tekens.
members-suspend = Dit account blokkeren
members-reinstate = Dit account weer vrijgeven
members-note-problem = De notitie mag hoogstens 2000 tekens lang zijn.
members-wrong-state = Dit account kan hier niet worden gewijzigd: uw eigen account, dat van een beheerder (voor moderatoren), of een account dat niet geblokkeerd is.
member-status-email-unconfirmed = e-mailadres nog niet bevestigd
member-status-unverified = wacht op bevestiging
member-status-active = actief
member-status-suspended = geblokkeerd
# Staff tools at volume (issue 14): one applicant, the directory, invitation batches.
staff-count-waiting = { $count ->
    [0] (niemand wacht)
   *[other] ({ $count } wachten)
}
staff-count-letters = { $count ->
    [0] (geen om te printen)
   *[other] ({ $count } om te printen)
}
applicant-open = gegevens bekijken
applicant-title = Verzoek van { $pseudonym }
applicant-intro = Wat deze persoon bij de aanmelding en het verzoek om bevestiging heeft ingevuld. Het bekijken wordt in het logboek vastgelegd.
applicant-registered = Aangemeld
applicant-email = E-mailadres
applicant-address = Naam en postadres voor de brief
applicant-decline-title = Afwijzen
applicant-decline-about = Het verzoek verlaat de wachtrij en een wachtend briefadres wordt verwijderd. De persoon krijgt uw bericht per e-mail en kan opnieuw een verzoek doen.
applicant-decline-message = Bericht aan de persoon
applicant-decline-hint = Wordt precies zo per e-mail verstuurd, zonder uw naam. Schrijf wat er ontbreekt of hoe men opnieuw kan vragen; hoogstens 2000 tekens.
applicant-decline-submit = Afwijzen en bericht versturen
applicant-decline-problem = Schrijf een bericht van hoogstens 2000 tekens.
applicant-back = Terug naar de wachtrij
notice-declined = Het verzoek is afgewezen; de persoon krijgt uw bericht per e-mail.
notice-invitations-revoked = { $count ->
    [0] Er waren geen ongebruikte codes meer om in te trekken.
    [one] Eén code is ingetrokken. Hij werkt niet meer.
   *[other] { $count } codes zijn ingetrokken. Ze werken niet meer.
}
invitations-create-title = Nieuwe codes
invitations-label = Label
invitations-label-hint = Optioneel: voor wie of waar de codes zijn, bijv. "groepsleiders, mei". Hoogstens { $max } tekens.
invitations-label-problem = Het label moet één regel van hoogstens { $max } tekens zijn.
invitations-batches-title = Tot nu toe gemaakte codes
invitations-batches-caption = Series codes, de nieuwste eerst
invitations-batches-none = Er zijn nog geen codes gemaakt.
invitations-created = Gemaakt
invitations-expires = Geldig tot
invitations-codes = Codes
invitations-used = Gebruikt
invitations-open = Nog bruikbaar
invitations-revoke = Intrekken
invitations-no-label = (geen label)
invitations-revoked-count = { $count } ingetrokken
invitations-revoke-batch = { $count ->
    [one] De ongebruikte code intrekken
   *[other] De { $count } ongebruikte codes intrekken
}
invitations-revoke-code-title = Eén code intrekken
invitations-revoke-code-label = Code
invitations-revoke-code-hint = Een code die kwijt is of bij de verkeerde persoon terechtkwam. Spaties en streepjes maken niet uit.
invitations-revoke-code-submit = Deze code intrekken
invitations-revoke-unknown = Er is geen ongebruikte code zoals deze. Misschien is hij al gebruikt, ingetrokken of verkeerd getypt.
invitations-revoke-malformed = Dit is geen uitnodigingscode. Controleer hem en typ hem opnieuw.
directory-find-title = Leden zoeken
directory-text = Pseudoniem of een deel ervan
directory-text-hint = Leeg laten om iedereen te tonen. Hoofd- en kleine letters maken niet uit.
directory-text-problem = Vul hoogstens 64 tekens in.
directory-filter-problem = Kies een van de mogelijkheden.
directory-status = Status
directory-any = Alle
directory-submit = Leden tonen
directory-title = Leden
directory-caption = { $count ->
    [one] Eén lid op deze pagina
   *[other] { $count } leden op deze pagina
}
directory-joined = Aangemeld
directory-choose = Kiezen
directory-none = Geen lid komt overeen.
directory-next = Volgende pagina
audit-action-verification-viewed = Een verzoek om bevestiging bekeken
audit-action-member-declined = Een verzoek om bevestiging afgewezen
audit-action-members-listed = De ledenlijst bekeken
audit-action-invitations-viewed = De uitnodigingscodes bekeken
audit-action-invitations-revoked = Uitnodigingscodes ingetrokken
notice-member-suspended = Het account is geblokkeerd en overal uitgelogd.
notice-member-reinstated = Het account is weer actief.

## Gemelde leden

staff-flags-title = Gemelde leden
staff-flags-about = Leden die profielen sneller openden of zochten dan een mens kan lezen.
flags-intro = Deze leden hebben profielen van andere leden geopend of gezocht, veel sneller dan een mens kan lezen. Dat kan betekenen dat iemand de ledenlijst overneemt. Ze zijn een tijdje tegengehouden. Bekijk wat er is gebeurd en blokkeer het account als het wordt misbruikt.
flags-caption = { $count ->
        [one] Eén melding, nieuwste eerst
       *[other] { $count } meldingen, nieuwste eerst
    }
flags-when = Wanneer
flags-reason = Waarom
flags-action = Blokkeren of vrijgeven
flags-open = Blokkeren of vrijgeven…
flags-none = Niemand is gemeld.
flags-reason-profile-views = Heeft meer dan { $limit } andere profielen binnen { $minutes } minuten geopend
flags-reason-photo-views = Heeft meer dan { $limit } foto's van andere leden binnen { $minutes } minuten geladen
flags-reason-member-searches = Heeft meer dan { $limit } keer binnen { $minutes } minuten naar leden gezocht
audit-action-flags-viewed = Gemelde leden bekeken

## Language and time zone (account/preferences)
account-preferences-link = Taal en tijdzone
preferences-title = Taal en tijdzone
preferences-intro = Pagina's en e-mails verschijnen in de taal die u hier kiest, op elk apparaat, en links in e-mails openen in die taal. Tijden worden in uw tijdzone getoond.
preferences-language = Taal
preferences-language-hint = Een taal die u op een pagina met de taalkeuze kiest, geldt alleen voor dat bezoek.
preferences-time-zone = Tijdzone
preferences-time-zone-hint = Waar u woont: tijden zoals "2 uur geleden" en de precieze tijd ernaast volgen die.
preferences-zone-association = De tijdzone van de vereniging ({ $zone })
preferences-save = Opslaan
preferences-invalid-language = Kies een van de aangeboden talen.
preferences-invalid-time-zone = Kies een tijdzone uit de lijst.
notice-preferences-saved = Uw taal en tijdzone zijn opgeslagen.
register-terms-link = Lees de gebruiksvoorwaarden
## Uw gegevens: toestemmingen en het account verwijderen (pages::consents, pages::erasure)
account-your-data-title = Uw gegevens
account-consents-link = Waarvoor u toestemming gaf
account-delete-link = Uw account verwijderen
consents-title = Uw toestemmingen
consents-intro = Waarvoor u toestemming gaf, in welke versie en wanneer. Uw toestemming voor gezondheidsgegevens kunt u hier altijd intrekken.
consents-caption = Uw toestemmingen
consents-col-what = Toestemming
consents-col-version = Versie
consents-col-given = Gegeven
consents-col-withdraw = Intrekken
consents-kind-terms = Gebruiksvoorwaarden en privacyverklaring
consents-kind-health = Opslaan van uw gezondheidsgegevens
consents-withdraw = Intrekken
consents-health-withdraw-hint = Al uw gezondheidsgegevens worden meteen verwijderd en zijn niet meer te vinden bij zoeken.
consents-terms-withdraw = Alleen door uw account te verwijderen
consents-none = U hebt nog geen toestemming gegeven.
consents-withdrawn = Uw toestemming is ingetrokken. Al uw gezondheidsgegevens zijn verwijderd.
erase-title = Uw account verwijderen
erase-intro = Het verwijderen van uw account kan niet ongedaan worden gemaakt. Niemand, ook het team niet, kan het terughalen.
erase-what-title = Wat er gebeurt
erase-what-profile = Uw profiel, foto, e-mailadres, wachtwoord en alles wat u over uzelf invulde, worden verwijderd.
erase-what-contacts = Uw contacten, verzoeken, blokkeringen, groepslidmaatschappen en aliassen worden verwijderd.
erase-what-messages = Uw berichten worden voor iedereen verwijderd; gesprekken met maar één andere persoon worden helemaal verwijderd.
erase-what-events = Uw aanmeldingen voor evenementen worden ingetrokken; wie als volgende wacht, krijgt uw plaats.
erase-what-sessions = U wordt overal afgemeld: elke sessie, elke app-toegang en elke passkey werkt meteen niet meer.
erase-what-pseudonym = Uw pseudoniem blijft { $days } dagen gereserveerd, zodat niemand het meteen kan gebruiken.
erase-what-backups = Back-ups van vóór vandaag bevatten uw gegevens nog tot ook die worden verwijderd; uw versleutelde gezondheidsgegevens daarin blijven onleesbaar zonder de sleutel van de vereniging.
erase-what-moment = Alles gebeurt op hetzelfde moment: wie goed oplet, kan uw pseudoniem koppelen aan uw anonieme berichten en uw aliassen in aliasgroepen, omdat ze tegelijk veranderen. Is dat belangrijk voor u, verwijder die berichten dan (of verlaat die groepen) enige tijd eerder.
erase-posts-legend = Wat moet er met uw forumberichten gebeuren?
erase-posts-delete = Verwijderen
erase-posts-delete-hint = De tekst wordt verwijderd. Een melding "verwijderd" blijft in de discussies staan, zodat antwoorden begrijpelijk blijven.
erase-posts-anonymise = Bewaren zonder mijn naam
erase-posts-anonymise-hint = Anderen kunnen ze blijven lezen; ze staan er als geschreven door een voormalig lid, zonder verwijzing naar u.
erase-posts-removed = Uw forumberichten worden verwijderd: de tekst wordt weggehaald.
erase-posts-required = Kies wat er met uw berichten moet gebeuren.
erase-continue = Verder
erase-confirm-title = Bevestigen: uw account verwijderen
erase-confirm-warning = Dit is de laatste stap. Zodra u bevestigt, worden uw account en uw gegevens meteen verwijderd.
erase-confirm-delete = Uw forumberichten worden verwijderd.
erase-confirm-anonymise = Uw forumberichten blijven staan, als geschreven door een voormalig lid.
erase-submit = Mijn account definitief verwijderen
erase-change-choice = Mijn keuze wijzigen
erase-done-title = Het account is verwijderd
erase-done-text = Het account en de gegevens ervan zijn verwijderd, en u bent afgemeld.
## Uw gegevens: de export en wie ze bekeek (service::export)
account-data-link = Uw gegevens: een kopie downloaden
account-access-log-link = Wie uw gegevens heeft bekeken
data-title = Uw gegevens
data-intro = U kunt een kopie van alles wat wij over u bewaren downloaden als één ZIP-bestand.
data-contents = Het bevat uw account, uw profiel met wie elk veld ziet, uw toestemmingen, contacten (alleen wat elk contact u nu laat zien), verzoeken, blokkeringen, groepen met uw aliassen, uw onderwerpen en berichten (ook anonieme), reacties, activiteiten, gesprekken en berichten, meldingen, sessies, passkeys, uw foto en elke toegang van medewerkers tot uw gegevens. Het bestand data.json is voor programma's; index.html opent u in elke browser.
data-lifetime = We maken het bestand op de achtergrond; dat duurt even. Zodra het klaar is, kunt u het binnen 48 uur één keer downloaden. Daarna wordt het verwijderd.
data-request = Een kopie van mijn gegevens klaarzetten
data-exports-title = Uw kopieën
data-exports-caption = Aangevraagde kopieën, nieuwste eerst
data-requested = Aangevraagd
data-state = Stand
data-action = Actie
data-expires = tot
data-download = Downloaden
data-check-again = Opnieuw kijken
data-no-exports = U hebt nog geen kopie aangevraagd.
data-export-state-building = Wordt klaargezet
data-export-state-ready = Klaar om te downloaden
data-export-state-downloaded = Gedownload (dat kan maar één keer)
data-export-state-expired = Verlopen
notice-export-requested = We zetten uw kopie klaar. Kijk zo nog eens.
access-log-title = Wie uw gegevens heeft bekeken
access-log-intro = Elke keer dat medewerkers van de vereniging uw gegevens bekijken of wijzigen, wordt dat vastgelegd. Hier ziet u wanneer het gebeurde, wat er gedaan werd en de rol van wie het deed.
access-log-caption = Toegang van medewerkers tot uw gegevens, nieuwste eerst
access-log-when = Wanneer
access-log-what = Wat
access-log-who = Rol
access-log-none = Geen medewerker heeft uw gegevens bekeken.
access-log-intro-named = Elke keer dat medewerkers van de vereniging uw gegevens bekijken of wijzigen, wordt dat vastgelegd. Hier ziet u wanneer het gebeurde, wat er gedaan werd, de rol van wie het deed en diens pseudoniem: uw vereniging heeft ervoor gekozen haar medewerkers hier te noemen.
access-log-name = Medewerker
access-log-name-gone = (niet genoemd)
access-role-staff = Medewerker
access-action-verification-viewed = Uw toelatingsverzoek bekeken
access-action-member-viewed = Uw account opgezocht
access-action-letter-viewed = Uw briefadres bekeken om af te drukken
access-action-member-approved = Uw toelating goedgekeurd
access-action-member-refused = Een verzoek over uw account werd geweigerd
access-action-member-suspended = Uw account geschorst
access-action-member-reinstated = Uw account weer vrijgegeven
access-action-member-role-changed = Uw rol gewijzigd
access-action-reported-messages-viewed = Uw berichten gelezen die iemand heeft gemeld

## Changed terms of use, asked again (issue 20)
terms-accept-title = De gebruiksvoorwaarden zijn gewijzigd
terms-accept-intro = U ging akkoord met versie { $previous } van de gebruiksvoorwaarden. De vereniging heeft ze gewijzigd in versie { $version }. Lees ze alstublieft; om de gemeenschap te blijven gebruiken, gaat u hieronder akkoord.
terms-accepted-already = U bent akkoord gegaan met versie { $version } van de gebruiksvoorwaarden, de huidige.
terms-text-heading = Gebruiksvoorwaarden, versie { $version }
terms-accept-button = Ik ga akkoord met de gebruiksvoorwaarden (versie { $version })
terms-accept-changed = De voorwaarden zijn opnieuw gewijzigd terwijl u ze las. Dit is de huidige versie.
terms-decline-title = Als u niet akkoord gaat
terms-decline-intro = Zonder akkoord met de huidige voorwaarden kunt u de gemeenschap niet gebruiken. U kunt uw gegevens meenemen en uw account verwijderen, of u afmelden en later beslissen.
terms-decline-export = Uw gegevens downloaden
terms-decline-delete = Uw account verwijderen
terms-decline-sign-out = Afmelden en later beslissen
community-denied-terms = De gebruiksvoorwaarden zijn gewijzigd. Lees ze en ga er eerst mee akkoord.
