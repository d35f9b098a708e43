# The "du" form of the German texts in search.ftl (form_of_address = "du").
forum-search-intro = Findet Themen und Antworten, die alle eingegebenen Wörter enthalten – nur in den Kategorien und Gruppen, die du lesen kannst.
forum-search-none = Nichts gefunden. Versuch weniger oder kürzere Wörter.
forum-search-problem-short = Gib mindestens 2 Zeichen ein.
forum-search-problem-long = Gib höchstens 200 Zeichen ein.
forum-search-problem-words = Gib mindestens ein Wort aus 2 bis 40 Buchstaben oder Ziffern ein.
forum-search-problem-cursor = Diese Ergebnisseite ist abgelaufen; bitte such erneut.
