//! Aliases in alias groups: "Quiet Heron 17", in the member's language
//! ("Stille Eule 17", "Stille Reiger 17"). Drawn at random from the
//! operating system's generator — never derived from a pseudonym, an id or
//! anything else about the member, so that nothing, given the alias, leads
//! back to them. Uniqueness within a group is the store's business (a
//! unique index on the alias key); a collision is answered by drawing again.

use crate::Language;
use rand::rngs::OsRng;
use rand::Rng;

const ADJECTIVES: [&str; 48] = [
    "Quiet",
    "Gentle",
    "Brave",
    "Calm",
    "Bright",
    "Patient",
    "Kind",
    "Steady",
    "Hopeful",
    "Curious",
    "Warm",
    "Silent",
    "Clever",
    "Swift",
    "Proud",
    "Merry",
    "Wise",
    "Bold",
    "Humble",
    "Lively",
    "Serene",
    "Sunny",
    "Misty",
    "Golden",
    "Silver",
    "Amber",
    "Azure",
    "Coral",
    "Velvet",
    "Nimble",
    "Tender",
    "Cheerful",
    "Modest",
    "Honest",
    "Loyal",
    "Graceful",
    "Playful",
    "Sturdy",
    "Daring",
    "Radiant",
    "Tranquil",
    "Cosy",
    "Wandering",
    "Dreamy",
    "Sparkling",
    "Mellow",
    "Friendly",
    "Spirited",
];

const NOUNS: [&str; 48] = [
    "Heron", "Otter", "Fox", "Badger", "Robin", "Sparrow", "Falcon", "Owl", "Swan", "Crane", "Hare", "Deer", "Lynx",
    "Beaver", "Finch", "Wren", "Lark", "Kestrel", "Salmon", "Dolphin", "Seal", "Puffin", "Marten", "Hedgehog",
    "Squirrel", "Raven", "Magpie", "Dove", "Stork", "Ibis", "Moose", "Bison", "Panda", "Koala", "Lemur", "Gecko",
    "Turtle", "Willow", "Birch", "Maple", "Cedar", "Aspen", "Fern", "Clover", "Meadow", "River", "Harbour", "Comet",
];

/// A fresh alias in `language` (the member's): an adjective, a noun and a
/// number from 2 to 99 — "Quiet Heron 17", "Stille Eule 17", "Stille
/// Reiger 17". 48 × 48 × 98 ≈ 225,000 choices in each language; the store
/// refuses a duplicate in one group and the caller draws again.
pub fn generate(language: Language) -> String {
    let mut rng = OsRng;
    let number: u8 = rng.gen_range(2..100);
    match language {
        Language::En => {
            let adjective = ADJECTIVES[rng.gen_range(0..ADJECTIVES.len())];
            let noun = NOUNS[rng.gen_range(0..NOUNS.len())];
            format!("{adjective} {noun} {number}")
        }
        Language::De => {
            let stem = ADJECTIVES_DE[rng.gen_range(0..ADJECTIVES_DE.len())];
            let (noun, gender) = NOUNS_DE[rng.gen_range(0..NOUNS_DE.len())];
            let ending = match gender {
                Gender::Masculine => "er",
                Gender::Feminine => "e",
                Gender::Neuter => "es",
            };
            format!("{stem}{ending} {noun} {number}")
        }
        Language::Nl => {
            let adjective = ADJECTIVES_NL[rng.gen_range(0..ADJECTIVES_NL.len())];
            let noun = NOUNS_NL[rng.gen_range(0..NOUNS_NL.len())];
            format!("{adjective} {noun} {number}")
        }
    }
}

/// German adjectives without their ending: the strong ending of the noun's
/// gender is added ("Stiller Reiher", "Stille Eule", "Stilles Reh").
const ADJECTIVES_DE: [&str; 48] = [
    "Still",
    "Sanft",
    "Mutig",
    "Ruhig",
    "Hell",
    "Geduldig",
    "Freundlich",
    "Beständig",
    "Hoffnungsvoll",
    "Neugierig",
    "Warm",
    "Leis",
    "Klug",
    "Flink",
    "Stolz",
    "Fröhlich",
    "Weis",
    "Kühn",
    "Bescheiden",
    "Munter",
    "Gelassen",
    "Sonnig",
    "Golden",
    "Silbern",
    "Tapfer",
    "Zart",
    "Ehrlich",
    "Treu",
    "Anmutig",
    "Verspielt",
    "Kräftig",
    "Wagemutig",
    "Strahlend",
    "Gemütlich",
    "Wandernd",
    "Verträumt",
    "Funkelnd",
    "Lebhaft",
    "Heiter",
    "Behutsam",
    "Achtsam",
    "Fleißig",
    "Beherzt",
    "Herzlich",
    "Friedlich",
    "Sorgsam",
    "Gütig",
    "Wach",
];

#[derive(Clone, Copy)]
enum Gender {
    Masculine,
    Feminine,
    Neuter,
}

const NOUNS_DE: [(&str, Gender); 48] = [
    ("Reiher", Gender::Masculine),
    ("Otter", Gender::Masculine),
    ("Fuchs", Gender::Masculine),
    ("Dachs", Gender::Masculine),
    ("Falke", Gender::Masculine),
    ("Schwan", Gender::Masculine),
    ("Kranich", Gender::Masculine),
    ("Hase", Gender::Masculine),
    ("Luchs", Gender::Masculine),
    ("Biber", Gender::Masculine),
    ("Fink", Gender::Masculine),
    ("Lachs", Gender::Masculine),
    ("Delfin", Gender::Masculine),
    ("Seehund", Gender::Masculine),
    ("Marder", Gender::Masculine),
    ("Igel", Gender::Masculine),
    ("Rabe", Gender::Masculine),
    ("Storch", Gender::Masculine),
    ("Elch", Gender::Masculine),
    ("Panda", Gender::Masculine),
    ("Koala", Gender::Masculine),
    ("Gecko", Gender::Masculine),
    ("Ahorn", Gender::Masculine),
    ("Farn", Gender::Masculine),
    ("Klee", Gender::Masculine),
    ("Fluss", Gender::Masculine),
    ("Hafen", Gender::Masculine),
    ("Komet", Gender::Masculine),
    ("Eule", Gender::Feminine),
    ("Lerche", Gender::Feminine),
    ("Amsel", Gender::Feminine),
    ("Taube", Gender::Feminine),
    ("Elster", Gender::Feminine),
    ("Schildkröte", Gender::Feminine),
    ("Weide", Gender::Feminine),
    ("Birke", Gender::Feminine),
    ("Zeder", Gender::Feminine),
    ("Espe", Gender::Feminine),
    ("Wiese", Gender::Feminine),
    ("Meise", Gender::Feminine),
    ("Robbe", Gender::Feminine),
    ("Möwe", Gender::Feminine),
    ("Reh", Gender::Neuter),
    ("Eichhörnchen", Gender::Neuter),
    ("Rotkehlchen", Gender::Neuter),
    ("Wiesel", Gender::Neuter),
    ("Murmeltier", Gender::Neuter),
    ("Zebra", Gender::Neuter),
];

/// Dutch adjectives as they stand before a "de" word, and only "de" words
/// (their adjective always takes the same form: "Stille Reiger").
const ADJECTIVES_NL: [&str; 48] = [
    "Stille",
    "Zachte",
    "Dappere",
    "Kalme",
    "Heldere",
    "Geduldige",
    "Vriendelijke",
    "Trouwe",
    "Hoopvolle",
    "Nieuwsgierige",
    "Warme",
    "Rustige",
    "Slimme",
    "Vlugge",
    "Trotse",
    "Vrolijke",
    "Wijze",
    "Moedige",
    "Bescheiden",
    "Levendige",
    "Sterke",
    "Zonnige",
    "Mistige",
    "Gouden",
    "Zilveren",
    "Tedere",
    "Eerlijke",
    "Sierlijke",
    "Speelse",
    "Stevige",
    "Stoere",
    "Stralende",
    "Gezellige",
    "Dromerige",
    "Fonkelende",
    "Zwervende",
    "Blije",
    "Lieve",
    "Zorgzame",
    "Kranige",
    "Frisse",
    "Milde",
    "Vredige",
    "Gulle",
    "Wakkere",
    "Snelle",
    "Gelukkige",
    "Krachtige",
];

const NOUNS_NL: [&str; 48] = [
    "Reiger",
    "Otter",
    "Vos",
    "Das",
    "Roodborst",
    "Mus",
    "Valk",
    "Uil",
    "Zwaan",
    "Kraanvogel",
    "Haas",
    "Lynx",
    "Bever",
    "Vink",
    "Winterkoning",
    "Leeuwerik",
    "Torenvalk",
    "Zalm",
    "Dolfijn",
    "Zeehond",
    "Papegaaiduiker",
    "Marter",
    "Egel",
    "Eekhoorn",
    "Raaf",
    "Ekster",
    "Duif",
    "Ooievaar",
    "Ibis",
    "Eland",
    "Bizon",
    "Panda",
    "Koala",
    "Gekko",
    "Schildpad",
    "Wilg",
    "Berk",
    "Esdoorn",
    "Ceder",
    "Esp",
    "Varen",
    "Klaver",
    "Heide",
    "Rivier",
    "Haven",
    "Komeet",
    "Merel",
    "Meeuw",
];

/// Whether `alias` is one that [`generate`] draws in `language`.
pub fn drawn_in(alias: &str, language: Language) -> bool {
    let parts: Vec<&str> = alias.split(' ').collect();
    let [adjective, noun, number] = parts[..] else { return false };
    if !number.parse::<u8>().is_ok_and(|n| (2..100).contains(&n)) {
        return false;
    }
    match language {
        Language::En => ADJECTIVES.contains(&adjective) && NOUNS.contains(&noun),
        Language::Nl => ADJECTIVES_NL.contains(&adjective) && NOUNS_NL.contains(&noun),
        Language::De => NOUNS_DE.iter().any(|(n, gender)| {
            let ending = match gender {
                Gender::Masculine => "er",
                Gender::Feminine => "e",
                Gender::Neuter => "es",
            };
            *n == noun && adjective.strip_suffix(ending).is_some_and(|stem| ADJECTIVES_DE.contains(&stem))
        }),
    }
}

/// What makes two aliases the same: case does not count, nor do runs of
/// white space.
pub fn key(alias: &str) -> String {
    alias.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_have_three_words_and_vary() {
        for language in Language::ALL {
            let drawn: std::collections::BTreeSet<String> = (0..200).map(|_| generate(language)).collect();
            assert!(drawn.len() > 150, "random enough: {}", drawn.len());
            for alias in &drawn {
                let parts: Vec<&str> = alias.split(' ').collect();
                assert_eq!(parts.len(), 3, "{alias}");
                let n: u8 = parts[2].parse().unwrap_or(0);
                assert!((2..100).contains(&n), "{alias}");
            }
        }
    }

    #[test]
    fn aliases_are_drawn_in_the_members_language() {
        let words = |language: Language| -> Vec<(String, String)> {
            (0..300)
                .map(|_| {
                    let alias = generate(language);
                    let parts: Vec<&str> = alias.split(' ').collect();
                    (parts[0].to_owned(), parts[1].to_owned())
                })
                .collect()
        };
        for (adjective, noun) in words(Language::En) {
            assert!(ADJECTIVES.contains(&adjective.as_str()) && NOUNS.contains(&noun.as_str()), "{adjective} {noun}");
        }
        for (adjective, noun) in words(Language::Nl) {
            assert!(ADJECTIVES_NL.contains(&adjective.as_str()), "{adjective}");
            assert!(NOUNS_NL.contains(&noun.as_str()), "{noun}");
        }
        for language in Language::ALL {
            for _ in 0..100 {
                let alias = generate(language);
                assert!(drawn_in(&alias, language), "{alias}");
                let others = Language::ALL.iter().filter(|l| **l != language);
                // The languages' words differ ("Otter" is English and German, but not its adjectives).
                assert!(others.clone().all(|l| !drawn_in(&alias, *l)), "{alias} in {language:?} only");
            }
        }
        // Every pair, not a sample: no alias of one language reads as another's.
        for adjective in ADJECTIVES {
            for noun in NOUNS {
                let alias = format!("{adjective} {noun} 42");
                assert!(!drawn_in(&alias, Language::Nl) && !drawn_in(&alias, Language::De), "{alias}");
            }
        }
        for adjective in ADJECTIVES_NL {
            for noun in NOUNS_NL {
                let alias = format!("{adjective} {noun} 42");
                assert!(!drawn_in(&alias, Language::En) && !drawn_in(&alias, Language::De), "{alias}");
            }
        }
        for (adjective, noun) in words(Language::De) {
            let (_, gender) = NOUNS_DE.iter().find(|(n, _)| *n == noun).unwrap();
            // The adjective agrees with the noun: "Stiller Reiher", "Stille Eule", "Stilles Reh".
            let stem = match gender {
                Gender::Masculine => adjective.strip_suffix("er"),
                Gender::Feminine => adjective.strip_suffix('e'),
                Gender::Neuter => adjective.strip_suffix("es"),
            };
            assert!(stem.is_some_and(|s| ADJECTIVES_DE.contains(&s)), "{adjective} {noun}");
        }
    }

    #[test]
    fn keys_ignore_case_and_spacing() {
        assert_eq!(key("Quiet  Heron 17"), key("quiet heron 17"));
        assert_ne!(key("Quiet Heron 17"), key("Quiet Heron 18"));
    }
}
