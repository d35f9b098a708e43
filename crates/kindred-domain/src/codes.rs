//! Codes that people read and type: postal letters, invitations, recovery
//! codes. The alphabet leaves out the characters that are easily mistaken for
//! one another (0/O, 1/I/L) and U (so that no obscene words come out by
//! chance): 30 symbols, about 4.9 bits each.

use rand::rngs::OsRng;
use rand::RngCore;
use std::fmt;

/// The symbols a code is made of.
pub const CODE_ALPHABET: &[u8; 30] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";

/// Characters per display group.
const GROUP: usize = 4;

/// A one-time code, normalised: uppercase symbols of [`CODE_ALPHABET`], no separators.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OneTimeCode(String);

impl OneTimeCode {
    /// A fresh code of `len` symbols, uniformly random from the operating system.
    pub fn generate(len: usize) -> Self {
        // Bytes below the largest multiple of 30 that fits in a byte (240) map
        // evenly onto the alphabet; the others are drawn again.
        const LIMIT: u8 = (256 / CODE_ALPHABET.len() * CODE_ALPHABET.len()) as u8;
        let mut code = String::with_capacity(len);
        let mut buffer = [0u8; 32];
        while code.len() < len {
            OsRng.fill_bytes(&mut buffer);
            for &byte in buffer.iter().filter(|&&b| b < LIMIT) {
                if code.len() == len {
                    break;
                }
                code.push(char::from(CODE_ALPHABET[usize::from(byte) % CODE_ALPHABET.len()]));
            }
        }
        Self(code)
    }

    /// Reads a code someone typed: surrounding and inner white space and
    /// hyphens are dropped, lowercase is read as uppercase. `None` unless
    /// what remains is exactly `len` symbols of the alphabet (a typed 0, O, 1,
    /// I, L or U is refused, not guessed at).
    pub fn parse(raw: &str, len: usize) -> Option<Self> {
        let mut code = String::with_capacity(len);
        for c in raw.chars() {
            if c.is_whitespace() || c == '-' {
                continue;
            }
            // ASCII only: Unicode case mapping would turn 'ı' into 'I' and 'ſ' into 'S'.
            let upper = c.to_ascii_uppercase();
            if !upper.is_ascii() || !CODE_ALPHABET.contains(&(upper as u8)) || code.len() == len {
                return None;
            }
            code.push(upper);
        }
        (code.len() == len).then_some(Self(code))
    }

    /// The normalised form, for storing (hashed) and comparing.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped by four with hyphens, for showing and printing: `K7MX-Q2PD-…`.
    pub fn display(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + self.0.len() / GROUP);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % GROUP == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }
}

impl fmt::Debug for OneTimeCode {
    // A code is a secret until it is used.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn alphabet_has_no_ambiguous_characters() {
        assert_eq!(CODE_ALPHABET.len(), 30);
        for bad in b"01ILOU" {
            assert!(!CODE_ALPHABET.contains(bad), "{}", char::from(*bad));
        }
        let mut sorted = CODE_ALPHABET.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 30, "no symbol twice");
    }

    #[test]
    fn generate_and_parse_round_trip() {
        for len in [0, 1, 4, 5, 8, 12, 16, 100] {
            let code = OneTimeCode::generate(len);
            assert_eq!(code.as_str().len(), len);
            assert!(code.as_str().bytes().all(|b| CODE_ALPHABET.contains(&b)));
            assert_eq!(OneTimeCode::parse(code.as_str(), len), Some(code.clone()));
            assert_eq!(OneTimeCode::parse(&code.display(), len), Some(code.clone()));
            let typed = format!("  {}  ", code.display().to_lowercase().replace('-', " "));
            assert_eq!(OneTimeCode::parse(&typed, len), Some(code));
        }
        assert_ne!(OneTimeCode::generate(16), OneTimeCode::generate(16));
    }

    #[test]
    fn display_groups_by_four() {
        let code = OneTimeCode::parse("K7MXQ2PDABC", 11).unwrap();
        assert_eq!(code.display(), "K7MX-Q2PD-ABC");
        assert_eq!(OneTimeCode::parse("K7MXQ2PD", 8).unwrap().display(), "K7MX-Q2PD");
        assert_eq!(OneTimeCode::parse("K7M", 3).unwrap().display(), "K7M");
        assert_eq!(OneTimeCode::parse("", 0).unwrap().display(), "");
    }

    #[test]
    fn parse_normalises() {
        let want = Some("K7MXQ2PD");
        assert_eq!(OneTimeCode::parse("k7mx-q2pd", 8).as_ref().map(OneTimeCode::as_str), want);
        assert_eq!(OneTimeCode::parse(" k7mx q2pd\n", 8).as_ref().map(OneTimeCode::as_str), want);
        assert_eq!(OneTimeCode::parse("K-7-M-X Q 2 P D", 8).as_ref().map(OneTimeCode::as_str), want);
        assert_eq!(OneTimeCode::parse("K7MX\u{00a0}Q2PD", 8).as_ref().map(OneTimeCode::as_str), want);
    }

    #[test]
    fn parse_refuses() {
        for bad in ["K7MXQ2P0", "K7MXQ2PO", "K7MXQ2P1", "K7MXQ2PI", "K7MXQ2PL", "K7MXQ2PU", "K7MX_Q2PD", "K7MX.Q2PD"] {
            assert_eq!(OneTimeCode::parse(bad, 8), None, "{bad}");
        }
        // Unicode that case-maps onto the alphabet is not the alphabet.
        assert_eq!(OneTimeCode::parse("K7MXQ2Pſ", 8), None);
        assert_eq!(OneTimeCode::parse("K7MXQ2PＤ", 8), None);
        // Length.
        assert_eq!(OneTimeCode::parse("K7MXQ2P", 8), None);
        assert_eq!(OneTimeCode::parse("K7MXQ2PDA", 8), None);
        assert_eq!(OneTimeCode::parse("", 8), None);
        assert_eq!(OneTimeCode::parse(" - ", 8), None);
        assert_eq!(OneTimeCode::parse(&"A".repeat(100_000), 8), None);
    }

    #[test]
    fn debug_hides_the_code() {
        assert_eq!(format!("{:?}", OneTimeCode::parse("K7MX", 4).unwrap()), "OneTimeCode(..)");
    }

    #[test]
    fn generation_is_uniform() {
        // 60,000 symbols, each expected 2,000 times (σ ≈ 44): allow ±15 % per symbol.
        let code = OneTimeCode::generate(60_000);
        let counts: Vec<usize> =
            CODE_ALPHABET.iter().map(|&symbol| code.as_str().bytes().filter(|&b| b == symbol).count()).collect();
        for (symbol, n) in CODE_ALPHABET.iter().zip(&counts) {
            assert!((1_700..=2_300).contains(n), "{}: {n}", char::from(*symbol));
        }
        // Plain `byte % 30` would favour the first 16 symbols (9/256 instead of
        // 8/256 each): about 33,750 of 60,000 instead of 32,000 (σ ≈ 122).
        let first: usize = counts[..16].iter().sum();
        assert!((31_400..=32_600).contains(&first), "{first}");
    }

    proptest! {
        #[test]
        fn parse_never_panics(raw in any::<String>(), len in 0usize..40) {
            if let Some(code) = OneTimeCode::parse(&raw, len) {
                prop_assert_eq!(code.as_str().len(), len);
                prop_assert!(code.as_str().bytes().all(|b| CODE_ALPHABET.contains(&b)));
                prop_assert_eq!(OneTimeCode::parse(&code.display(), len), Some(code));
            }
        }

        #[test]
        fn parse_accepts_any_spacing_and_case(len in 1usize..24, spaces in proptest::collection::vec(0usize..3, 24)) {
            let code = OneTimeCode::generate(len);
            let mut typed = String::new();
            for (c, n) in code.as_str().chars().zip(&spaces) {
                typed.push_str(&" -"[..*n.min(&2)]);
                typed.push(c.to_ascii_lowercase());
            }
            prop_assert_eq!(OneTimeCode::parse(&typed, len), Some(code));
        }
    }
}
