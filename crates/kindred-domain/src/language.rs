//! The languages Kindred ships, and choosing one for a request.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    De,
    En,
    Nl,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::De, Language::En, Language::Nl];

    pub fn parse(code: &str) -> Option<Self> {
        match code.to_ascii_lowercase().as_str() {
            "de" => Some(Self::De),
            "en" => Some(Self::En),
            "nl" => Some(Self::Nl),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::De => "de",
            Self::En => "en",
            Self::Nl => "nl",
        }
    }

    /// The language's own name, for language pickers.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::De => "Deutsch",
            Self::En => "English",
            Self::Nl => "Nederlands",
        }
    }
}

/// Picks the best of `offered` for an `Accept-Language` header value
/// (RFC 9110: quality values, primary subtags such as `de-AT` match `de`).
/// `None` when nothing offered is acceptable.
pub fn negotiate(accept_language: &str, offered: &[Language]) -> Option<Language> {
    let mut best: Option<(u16, usize, Language)> = None;
    for (position, item) in accept_language.split(',').enumerate().take(32) {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let quality = parts.find_map(|p| p.trim().strip_prefix("q=").map(parse_quality)).unwrap_or(Some(1000));
        let Some(quality) = quality else { continue };
        if quality == 0 {
            continue;
        }
        let primary = tag.split('-').next().unwrap_or("");
        let candidate = if primary == "*" {
            offered.first().copied()
        } else {
            Language::parse(primary).filter(|l| offered.contains(l))
        };
        if let Some(language) = candidate {
            let better = match best {
                None => true,
                Some((q, pos, _)) => quality > q || (quality == q && position < pos),
            };
            if better {
                best = Some((quality, position, language));
            }
        }
    }
    best.map(|(_, _, language)| language)
}

/// A quality value as thousandths; `None` when malformed.
fn parse_quality(raw: &str) -> Option<u16> {
    let value: f32 = raw.trim().parse().ok()?;
    if (0.0..=1.0).contains(&value) {
        Some((value * 1000.0).round() as u16)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::*;

    #[test]
    fn picks_by_quality_then_order() {
        assert_eq!(negotiate("nl, en;q=0.8", &Language::ALL), Some(Nl));
        assert_eq!(negotiate("fr, en;q=0.5, de;q=0.9", &Language::ALL), Some(De));
        assert_eq!(negotiate("de-AT,de;q=0.9", &[En, De]), Some(De));
        assert_eq!(negotiate("fr", &Language::ALL), None);
        assert_eq!(negotiate("de;q=0, en", &Language::ALL), Some(En));
        assert_eq!(negotiate("*", &[Nl, En]), Some(Nl));
        assert_eq!(negotiate("de;q=abc, nl;q=2", &Language::ALL), None);
        assert_eq!(negotiate("", &Language::ALL), None);
    }

    #[test]
    fn only_offered_languages() {
        assert_eq!(negotiate("nl", &[De, En]), None);
    }
}
