//! Branding colours, checked for readable contrast.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color {
    r: u8,
    g: u8,
    b: u8,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ColorError {
    #[error("must be a colour written #rrggbb")]
    Format,
    #[error("has a contrast of {ratio:.2}:1 against white; at least 4.5:1 is needed so that text stays readable (WCAG 2.2 AA)")]
    Contrast { ratio: f64 },
}

impl Color {
    pub const WHITE: Color = Color { r: 255, g: 255, b: 255 };

    /// Parses `#rrggbb`.
    pub fn parse(raw: &str) -> Result<Self, ColorError> {
        let hex = raw.strip_prefix('#').ok_or(ColorError::Format)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ColorError::Format);
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| ColorError::Format);
        Ok(Self { r: channel(0)?, g: channel(2)?, b: channel(4)? })
    }

    /// Parses `#rrggbb` and requires AA contrast (4.5:1) against white,
    /// because Kindred puts white text on the primary colour and uses the
    /// accent colour for links on white.
    pub fn parse_readable_on_white(raw: &str) -> Result<Self, ColorError> {
        let color = Self::parse(raw)?;
        let ratio = color.contrast_with(Self::WHITE);
        if ratio < 4.5 {
            return Err(ColorError::Contrast { ratio });
        }
        Ok(color)
    }

    /// WCAG relative luminance.
    fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let s = f64::from(c) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// WCAG contrast ratio, 1.0 ..= 21.0.
    pub fn contrast_with(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Color::parse("#1D4F91").map(|c| c.to_string()), Ok("#1d4f91".into()));
        assert!(Color::parse("1d4f91").is_err());
        assert!(Color::parse("#1d4f9").is_err());
        assert!(Color::parse("#1d4f9g").is_err());
    }

    #[test]
    fn contrast() {
        let black = Color::parse("#000000").map(|c| c.contrast_with(Color::WHITE));
        assert!(matches!(black, Ok(r) if (r - 21.0).abs() < 0.01));
        assert!(Color::parse_readable_on_white("#767676").is_ok());
        assert!(matches!(Color::parse_readable_on_white("#777777"), Err(ColorError::Contrast { .. })));
    }
}
