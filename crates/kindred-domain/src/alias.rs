//! Aliases in alias groups: "Quiet Heron 17". Drawn at random from the
//! operating system's generator — never derived from a pseudonym, an id or
//! anything else about the member, so that nothing, given the alias, leads
//! back to them. Uniqueness within a group is the store's business (a
//! unique index on the alias key); a collision is answered by drawing again.

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

/// A fresh alias: an adjective, a noun and a number from 2 to 99.
/// 48 × 48 × 98 ≈ 225,000 choices; the store refuses a duplicate in one
/// group and the caller draws again.
pub fn generate() -> String {
    let mut rng = OsRng;
    let adjective = ADJECTIVES[rng.gen_range(0..ADJECTIVES.len())];
    let noun = NOUNS[rng.gen_range(0..NOUNS.len())];
    let number: u8 = rng.gen_range(2..100);
    format!("{adjective} {noun} {number}")
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
        let drawn: std::collections::BTreeSet<String> = (0..200).map(|_| generate()).collect();
        assert!(drawn.len() > 150, "random enough: {}", drawn.len());
        for alias in &drawn {
            let parts: Vec<&str> = alias.split(' ').collect();
            assert_eq!(parts.len(), 3, "{alias}");
            let n: u8 = parts[2].parse().unwrap_or(0);
            assert!((2..100).contains(&n), "{alias}");
        }
    }

    #[test]
    fn keys_ignore_case_and_spacing() {
        assert_eq!(key("Quiet  Heron 17"), key("quiet heron 17"));
        assert_ne!(key("Quiet Heron 17"), key("Quiet Heron 18"));
    }
}
