# De forumpagina's (pages::forum).
nav-forum = Forum

## Het voorbeeld bij het schrijven (zonder JavaScript)
forum-preview-button = Voorbeeld
forum-preview-title = Voorbeeld
forum-preview-hint = Zo komt uw bericht eruit te zien. Er is nog niets gepubliceerd.
forum-title = Forum
forum-intro = Praat met andere leden. Onderwerpen in een categorie lezen alle leden, onderwerpen in een groepsforum de groep.
forum-last-post = laatste bericht
forum-anonymous-allowed = Anonieme berichten toegestaan
forum-ask-professional = Vraag het een professional
forum-no-categories = Er zijn nog geen categorieën.
forum-back-to = Terug naar { $place }
forum-back-to-topic = Terug naar het onderwerp
forum-new-topic = Nieuw onderwerp
forum-new-in = Uw onderwerp komt in: { $place }
forum-new-submit = Onderwerp publiceren
forum-unread = nieuw
forum-pinned = Vastgezet
forum-locked = Gesloten
forum-hidden = Verborgen door de moderatie
forum-started-by = Gestart door { $author }
forum-no-topics = Nog geen onderwerpen. Begin het eerste!
forum-pages = Meer pagina's
forum-older-topics = Oudere onderwerpen
forum-first-page = Naar de eerste berichten
forum-jump-to-reply = Naar het antwoordveld
forum-next-page = Volgende berichten
forum-subscribe = Meld mij antwoorden
forum-unsubscribe = Meld mij geen antwoorden meer
forum-post-number = Bericht { $number }
forum-anonymous = Anoniem
forum-former-member = Voormalig lid
forum-deleted = Verwijderd
forum-deleted-text = Verwijderd door de schrijver.
forum-hidden-post = Verborgen
forum-hidden-text = Verborgen door de moderatie.
forum-hidden-because = De moderatie heeft dit bericht verborgen. Reden: { $reason }
forum-topic-hidden-because = De moderatie heeft dit onderwerp verborgen; alleen wie het begon en de moderatie zien het. Reden: { $reason }
forum-professional-answer = Antwoord van een professional
forum-edited = bewerkt
forum-history-link = eerdere versies
forum-reactions = Reacties
forum-reaction-heart = Hart
forum-reaction-hug = Knuffel
forum-reaction-thanks = Bedankt
forum-reaction-helpful = Nuttig
forum-quote = Citeren
forum-quote-from = Uit bericht { $number }:
forum-report = Melden
forum-edit = Bewerken
forum-delete = Verwijderen
forum-reply-title = Uw antwoord
forum-reply-submit = Antwoord publiceren
forum-body-label = Tekst
forum-title-label = Titel
forum-markdown-help = U kunt opmaken: **vet**, *cursief*, > citaat, - lijst, [linktekst](https://…). Noem iemand met @naam of @[naam met spaties].
forum-anonymous-label = Anoniem publiceren
forum-anonymous-hint = Niemand, ook het team niet, ziet dat u het schreef. U kunt het toch bewerken en verwijderen.
forum-locked-text = Dit onderwerp is gesloten: geen antwoorden meer.
forum-edit-title = Uw bericht bewerken
forum-edit-intro = Eerdere versies blijven zichtbaar in de geschiedenis van het bericht.
forum-edit-submit = Bericht opslaan
forum-history-title = Eerdere versies
forum-history-version = Versie van
forum-history-none = Dit bericht is niet bewerkt.
forum-topic-count = { $count ->
    [one] één onderwerp
   *[other] { $count } onderwerpen
}
forum-post-count = { $count ->
    [one] één bericht
   *[other] { $count } berichten
}
forum-group-title = Forum van { $group }
forum-problem-title = Geef het onderwerp een titel van hoogstens 200 tekens.
forum-problem-body = Schrijf een tekst van hoogstens 20.000 tekens.
forum-problem-anonymous = Anonieme berichten zijn hier niet toegestaan.
forum-problem-quote = Het geciteerde bericht is er niet meer.
forum-problem-place = Kies een categorie of een groep voor het onderwerp.
forum-problem-name = Geef de categorie een naam van hoogstens 100 tekens.
forum-problem-description = De beschrijving mag hoogstens 1000 tekens hebben.
forum-problem-position = De positie is een getal van 0 tot 10000.
forum-done-posted = Uw bericht is gepubliceerd.
forum-done-edited = Uw bericht is opgeslagen.
forum-done-deleted = Uw bericht is verwijderd.
forum-done-subscribed = U krijgt een melding bij antwoorden.
forum-done-unsubscribed = U krijgt geen melding meer bij antwoorden.
forum-done-reacted = Uw reactie is opgeslagen.
forum-staff-title = Forumcategorieën
forum-staff-about = De categorieën van het forum instellen: namen, volgorde, anonieme berichten, "vraag het een professional".
forum-staff-categories = Categorieën
forum-staff-new = Nieuwe categorie
forum-staff-name = Naam
forum-staff-description = Beschrijving
forum-staff-position = Positie in de lijst
forum-staff-anonymous = Leden mogen anoniem schrijven
forum-staff-professional = "Vraag het een professional": antwoorden van professionals worden gemarkeerd
forum-staff-save = Opslaan
forum-staff-delete = Verwijderen
forum-staff-create = Categorie toevoegen
forum-staff-done-created = De categorie is toegevoegd.
forum-staff-done-saved = De categorie is opgeslagen.
forum-staff-done-deleted = De categorie is verwijderd.
forum-staff-done-not-empty = De categorie bevat nog onderwerpen en kan niet worden verwijderd.
forum-mention-summary = Een lid zoeken om te noemen
forum-mention-hint = Alleen leden die u in het zoeken naar leden mag vinden worden getoond. Uw keuze voegt @[naam] toe aan het eind van uw tekst; er wordt nog niets geplaatst.
forum-mention-find = Zoeken
forum-mention-choose = { $count ->
    [one] Eén lid gevonden: kies om het te noemen
   *[other] { $count } leden gevonden: kies wie u noemt
}
forum-mention-add = Noemen:
forum-mention-added = { $mention } staat nu aan het eind van uw tekst.
forum-reactions-summary = Reacties:
forum-reaction-yours = ook van u
forum-post-more = Reageren en meer
forum-post-page-title = Bericht { $number } in ‘{ $title }’
forum-post-back = Terug naar het bericht in het onderwerp
forum-post-react-title = Reageren
forum-post-react-hint = Een reactie laat de schrijver weten dat het bericht is gelezen en gewaardeerd. Druk nog eens op een ingedrukte reactie om die terug te nemen.
forum-post-more-title = Wat u nog meer kunt doen
