# Passkeys: de lijst van het lid, er een toevoegen (vraagt JavaScript) en
# ermee inloggen op de pagina voor de tweede stap.

passkeys-title = Passkeys
passkeys-intro = Met een passkey bevestigt u met uw vingerafdruk, uw gezicht of de schermvergrendeling van uw apparaat dat u het echt bent, in plaats van een code te typen. Het is de tweede stap na uw wachtwoord. U kunt er meerdere toevoegen, bijvoorbeeld op uw telefoon en op uw computer.
passkeys-required = Uw vereniging vraagt bij het inloggen om een tweede stap. Een passkey telt daarvoor, en de authenticator-app ook.
passkeys-caption = Uw passkeys
passkeys-col-name = Naam
passkeys-col-created = Toegevoegd
passkeys-col-last-used = Laatst gebruikt
passkeys-col-action = Actie
passkeys-never-used = Nog niet gebruikt
passkeys-remove = Verwijderen
passkeys-remove-password = Uw wachtwoord
passkeys-none = U hebt nog geen passkey toegevoegd.
passkeys-add-title = Passkey toevoegen
passkeys-name-label = Naam (niet verplicht)
passkeys-name-hint = Zodat u uw passkeys uit elkaar kunt houden, bijvoorbeeld ‘Telefoon’ of ‘Laptop’. Hoogstens 60 tekens.
passkeys-password-label = Uw wachtwoord
passkeys-password-hint = Vul voor de zekerheid eerst uw wachtwoord in. We laten u per e-mail weten wanneer een passkey wordt toegevoegd of verwijderd.
passkeys-add = Passkey toevoegen
passkeys-needs-js = Voor het toevoegen van een passkey heeft uw browser JavaScript nodig. U kunt in plaats daarvan de authenticator-app gebruiken.
passkeys-unsupported = Deze browser kan geen passkeys aanmaken. Probeer een andere browser, of gebruik de authenticator-app.
passkeys-elsewhere = Passkeys voor deze vereniging kunnen alleen op { $origin } worden toegevoegd en gebruikt.
passkeys-unavailable = Passkeys zijn op deze server nog niet beschikbaar. Gebruik alstublieft de authenticator-app.
passkeys-working = Volg de aanwijzingen van uw browser of apparaat.
passkeys-cancelled = Er is niets veranderd: het verzoek werd afgebroken of duurde te lang. U kunt het opnieuw proberen.
passkeys-already = Op dit apparaat staat al een passkey voor uw account.
passkeys-failed = Dat is niet gelukt. Probeer het alstublieft opnieuw.
passkeys-name-problem = De naam mag hoogstens 60 tekens hebben.
passkeys-password-problem = Vul uw huidige wachtwoord in.
passkeys-wait = Er waren te veel pogingen. Wacht een paar minuten en probeer het dan opnieuw.
passkeys-codes-title = Uw herstelcodes
passkeys-codes-intro = Raakt u ooit uw passkeys kwijt, dan kunt u in plaats daarvan inloggen met een van deze codes. Elke code werkt één keer.
passkeys-codes-keep = Bewaar de codes nu op een veilige plek, bijvoorbeeld afgedrukt of opgeschreven. We tonen ze alleen deze ene keer.
passkeys-codes-done = Ik heb mijn codes bewaard – verder
passkeys-notice-added = Uw passkey is toegevoegd.
passkeys-notice-removed = De passkey is verwijderd.
passkeys-back = Terug naar uw account

passkeys-sign-in-title = Of gebruik een passkey
passkeys-sign-in-text = Hebt u op dit apparaat een passkey toegevoegd, dan kunt u die gebruiken in plaats van een code.
passkeys-use = Passkey gebruiken
passkeys-signing-in = Ingelogd. Een ogenblik…
