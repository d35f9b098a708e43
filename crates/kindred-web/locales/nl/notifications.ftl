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
