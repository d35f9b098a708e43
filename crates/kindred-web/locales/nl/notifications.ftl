# Meldingen in de app (pages::notifications).
nav-notifications = Meldingen
nav-notifications-unread = Meldingen ({ $count } nieuw)
notifications-title = Meldingen
notifications-unread = { $count ->
    [one] U hebt 1 ongelezen melding.
   *[other] U hebt { $count } ongelezen meldingen.
}
notifications-all-read = U hebt geen ongelezen meldingen.
notifications-none = Nog geen meldingen. U krijgt er een als iemand reageert op een onderwerp dat u volgt of u noemt.
notifications-new = Nieuw
notifications-in-topic = In het onderwerp
notifications-mark-read = Markeren als gelezen
notifications-mark-all = Alles markeren als gelezen
notifications-pages = Pagina's met meldingen
notifications-first-page = Nieuwste
notifications-next-page = Oudere
notifications-kind-reply = { $actor } heeft gereageerd
notifications-kind-reply-nobody = Een nieuwe reactie (anoniem geplaatst)
notifications-kind-mention = { $actor } heeft u genoemd
notifications-kind-mention-nobody = U bent genoemd in een anoniem bericht
notifications-kind-moderation = { $actor } heeft uw bericht gemodereerd
notifications-kind-moderation-nobody = De moderatoren hebben iets met uw bericht gedaan
notifications-kind-warning = { $actor } heeft u een waarschuwing gestuurd
notifications-kind-warning-nobody = De moderatoren hebben u een waarschuwing gestuurd
notifications-kind-crisis-report = { $actor }: iemand is misschien in crisis – bekijk de melding nu
notifications-kind-crisis-report-nobody = Iemand is misschien in crisis – bekijk de melding nu
notifications-kind-other = { $actor }: een nieuwe melding
notifications-kind-other-nobody = Een nieuwe melding

account-notifications-link = Welke meldingen u per e-mail bereiken
notice-notification-settings-saved = Uw instellingen voor meldingen zijn opgeslagen.
notification-settings-title = Meldingen per e-mail
notification-settings-intro = In Kindred ziet u altijd elke melding. Hier kiest u per soort of en hoe vaak die u ook per e-mail bereikt. E-mails bevatten nooit wat er geschreven is, alleen dat er iets nieuws is.
notification-settings-fixed = altijd meteen per e-mail (wie dienst heeft, mag die niet missen)
notification-settings-save = Instellingen opslaan
notification-settings-back = Terug naar uw account
notification-settings-invalid = Kies een van de aangeboden mogelijkheden.
notification-kind-reply = Reacties in onderwerpen die u volgt
notification-kind-mention = Iemand noemt u
notification-kind-moderation = De moderatie heeft iets van u veranderd
notification-kind-warning = Een waarschuwing van de moderatie
notification-kind-crisis-report = Een melding dat iemand in een crisis kan zijn
notification-email-immediately = meteen
notification-email-daily = eens per dag, verzameld
notification-email-weekly = eens per week, verzameld
notification-email-never = nooit per e-mail
notification-kind-event-changed = Een bijeenkomst waarvoor u bent aangemeld is gewijzigd
notification-kind-event-cancelled = Een bijeenkomst waarvoor u bent aangemeld gaat niet door
notification-kind-event-promoted = Bij een bijeenkomst is een plaats voor u vrijgekomen
notification-kind-event-reminder = Herinnering een dag voor uw bijeenkomsten
notification-kind-message-request = Iemand wil u een bericht sturen
