//! Time-based one-time passwords (RFC 6238, HMAC-SHA-1, 6 digits, 30 s),
//! the kind every authenticator app understands, and the QR code that hands
//! the secret to such an app.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::RngCore;
use sha1::Sha1;
use std::fmt;
use zeroize::Zeroize;

/// Seconds per time step.
const PERIOD: i64 = 30;
/// Digits per code.
const DIGITS: usize = 6;
/// 10^DIGITS.
const MODULUS: u32 = 1_000_000;

/// A member's TOTP secret: 160 random bits, as RFC 4226 recommends for SHA-1.
pub struct TotpSecret([u8; 20]);

impl TotpSecret {
    /// A new random secret from the operating system.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 20];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// A stored secret; `None` unless exactly 20 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let array: [u8; 20] = bytes.try_into().ok()?;
        Some(Self(array))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32 without padding (32 characters), as authenticator apps expect.
    pub fn base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    /// [`TotpSecret::base32`] in groups of four separated by spaces, for typing by hand.
    pub fn base32_grouped(&self) -> String {
        let plain = self.base32();
        let mut grouped = String::with_capacity(plain.len() + plain.len() / 4);
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                grouped.push(' ');
            }
            grouped.push(c);
        }
        grouped
    }

    /// The `otpauth://` URI (Key Uri Format) for an authenticator app.
    pub fn uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}{parameters}",
            account = percent_encode(account),
            secret = self.base32(),
            parameters = format_args!("&algorithm=SHA1&digits={DIGITS}&period={PERIOD}"),
        )
    }

    /// The code for the time step that holds `unix_seconds`: 6 digits, zero-padded.
    pub fn code_at(&self, unix_seconds: i64) -> String {
        format!("{:0width$}", self.code_for_step(unix_seconds.div_euclid(PERIOD)), width = DIGITS)
    }

    /// Checks a code a member typed (spaces ignored, otherwise exactly 6
    /// digits) against the time steps before, at and after `unix_seconds`.
    /// Returns the step that matched, but only if it is later than
    /// `last_used_step`, so that a code works once. Store the returned step
    /// as the new `last_used_step`.
    pub fn verify(&self, code: &str, unix_seconds: i64, last_used_step: Option<i64>) -> Option<i64> {
        let typed = normalise_code(code)?;
        let now = unix_seconds.div_euclid(PERIOD);
        let mut matched: Option<i64> = None;
        // All three steps are always computed and compared, so the time taken
        // does not say which one matched.
        for step in [now.checked_sub(1), Some(now), now.checked_add(1)].into_iter().flatten() {
            let expected = format!("{:0width$}", self.code_for_step(step), width = DIGITS);
            let equal = constant_time_eq(expected.as_bytes(), &typed);
            let fresh = last_used_step.is_none_or(|last| step > last);
            if equal && fresh && matched.is_none() {
                matched = Some(step);
            }
        }
        matched
    }

    /// HOTP (RFC 4226) with the time step as the counter.
    fn code_for_step(&self, step: i64) -> u32 {
        let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&self.0) else {
            // HMAC takes keys of any length; this cannot happen.
            return 0;
        };
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let binary =
            u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
        binary % MODULUS
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

impl Drop for TotpSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// The six digits of a typed code, or `None` if it is not one.
fn normalise_code(raw: &str) -> Option<[u8; DIGITS]> {
    // Anything much longer than "123 456" is not a code; do not walk it all.
    if raw.len() > 64 {
        return None;
    }
    let mut digits = [0u8; DIGITS];
    let mut count = 0;
    for c in raw.chars().filter(|c| !c.is_whitespace()) {
        if !c.is_ascii_digit() || count == DIGITS {
            return None;
        }
        digits[count] = c as u8;
        count += 1;
    }
    (count == DIGITS).then_some(digits)
}

/// Compares without stopping at the first difference (also for
/// `crypto`'s hidden numbers).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

/// Percent-encodes everything but the unreserved characters of RFC 3986
/// (spaces become `%20`, which authenticator apps decode; `+` would not be).
fn percent_encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Width and height of the QR code image, in CSS pixels.
const QR_SIZE: u32 = 200;

/// `data` (an `otpauth://` URI) as a QR code in SVG: black modules on white,
/// with the quiet zone, 200 × 200 pixels, no XML prolog, no script, ready to
/// be placed inline in a page. Empty if the data does not fit in a QR code
/// (more than about 2,300 bytes; a TOTP URI is about 150).
pub fn qr_svg(data: &str) -> String {
    use qrcode::render::svg;
    let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else {
        return String::new();
    };
    // One unit per module; the viewBox then scales it to QR_SIZE whatever
    // the number of modules.
    let image = code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .module_dimensions(1, 1)
        .build();
    // The renderer writes an XML declaration first; inline SVG must not have one.
    let Some(start) = image.find("<svg") else {
        return String::new();
    };
    let image = &image[start..];
    // The renderer sized the image in modules (code and quiet zone); show it at QR_SIZE.
    let modules = image
        .split_once(" width=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(number, _)| number.to_owned())
        .unwrap_or_default();
    image.replacen(
        &format!(r#" width="{modules}" height="{modules}""#),
        &format!(r#" width="{QR_SIZE}" height="{QR_SIZE}""#),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 6238 SHA-1 secret: ASCII "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890").unwrap()
    }

    #[test]
    fn rfc_6238_sha1_vectors() {
        // Appendix B; the RFC's codes have 8 digits, ours are the last 6.
        let secret = rfc_secret();
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(secret.code_at(time), &eight[2..], "at {time}");
        }
    }

    #[test]
    fn secrets() {
        assert!(TotpSecret::from_bytes(&[0; 19]).is_none());
        assert!(TotpSecret::from_bytes(&[0; 21]).is_none());
        assert!(TotpSecret::from_bytes(&[]).is_none());
        let a = TotpSecret::generate();
        let b = TotpSecret::generate();
        assert_ne!(a.as_bytes(), b.as_bytes());
        assert_eq!(a.as_bytes().len(), 20);
        assert_eq!(format!("{a:?}"), "TotpSecret(..)");
        let again = TotpSecret::from_bytes(a.as_bytes()).unwrap();
        assert_eq!(again.code_at(1_700_000_000), a.code_at(1_700_000_000));
    }

    #[test]
    fn base32() {
        let secret = rfc_secret();
        assert_eq!(secret.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(secret.base32_grouped(), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        let random = TotpSecret::generate();
        assert_eq!(random.base32().len(), 32);
        assert_eq!(BASE32_NOPAD.decode(random.base32().as_bytes()).unwrap(), random.as_bytes());
    }

    #[test]
    fn window() {
        let secret = rfc_secret();
        let now = 1_111_111_111; // step 37037037, 1 s into it
        let step = now / 30;
        assert_eq!(secret.verify(&secret.code_at(now), now, None), Some(step));
        assert_eq!(secret.verify(&secret.code_at(now - 30), now, None), Some(step - 1));
        assert_eq!(secret.verify(&secret.code_at(now + 30), now, None), Some(step + 1));
        assert_eq!(secret.verify(&secret.code_at(now - 60), now, None), None);
        assert_eq!(secret.verify(&secret.code_at(now + 60), now, None), None);
        // The RFC vector at 1111111111 is 14050471: "050471" now.
        assert_eq!(secret.verify("050471", now, None), Some(step));
        assert_eq!(secret.verify("050 471", now, None), Some(step));
        assert_eq!(secret.verify(" 05 04 71 ", now, None), Some(step));
        assert_eq!(secret.verify("050472", now, None), None);
    }

    #[test]
    fn a_code_works_once() {
        let secret = rfc_secret();
        let now = 1_234_567_890;
        let code = secret.code_at(now);
        let used = secret.verify(&code, now, None).unwrap();
        assert_eq!(secret.verify(&code, now, Some(used)), None);
        assert_eq!(secret.verify(&code, now + 10, Some(used)), None);
        // An older code is refused once a newer one was used.
        let previous = secret.code_at(now - 30);
        assert_eq!(secret.verify(&previous, now, Some(used)), None);
        // The next step's code is still good.
        let next = secret.code_at(now + 30);
        assert_eq!(secret.verify(&next, now + 30, Some(used)), Some(used + 1));
    }

    #[test]
    fn malformed_codes_are_refused() {
        let secret = rfc_secret();
        let now = 1_111_111_111;
        let long = "1".repeat(100_000);
        for bad in ["", "12345", "1234567", "abcdef", "05047a", "０５０４７１", "050-471", "+50471", long.as_str()]
        {
            assert_eq!(secret.verify(bad, now, None), None, "{bad:.20}");
        }
        // The extremes of time do not overflow.
        for time in [i64::MIN, i64::MAX, -1, 0] {
            let code = secret.code_at(time);
            assert_eq!(code.len(), 6);
            assert!(secret.verify(&code, time, None).is_some());
        }
    }

    #[test]
    fn uri() {
        let secret = rfc_secret();
        assert_eq!(
            secret.uri("Kindred", "anna@example.org"),
            "otpauth://totp/Kindred:anna%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Kindred&algorithm=SHA1&digits=6&period=30"
        );
        let tricky = secret.uri("MS Selbsthilfe: Köln & Bonn", "a b:c?d#e");
        assert!(
            tricky.starts_with("otpauth://totp/MS%20Selbsthilfe%3A%20K%C3%B6ln%20%26%20Bonn:a%20b%3Ac%3Fd%23e?secret=")
        );
        assert!(tricky.contains("&issuer=MS%20Selbsthilfe%3A%20K%C3%B6ln%20%26%20Bonn&"));
        assert_eq!(tricky.matches(':').count(), 2, "only the scheme and the label separator: {tricky}");
    }

    #[test]
    fn qr_code() {
        let svg = qr_svg(&rfc_secret().uri("Kindred", "anna@example.org"));
        assert!(svg.starts_with("<svg"), "{svg:.80}");
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
        assert!(!svg.to_lowercase().contains("script"));
        assert!(svg.contains("fill=\"#000000\"") && svg.contains("fill=\"#ffffff\""));
        let head = &svg[..svg.find('>').unwrap()];
        assert!(head.contains(r#" width="200" height="200""#), "{head}");
        assert!(head.contains(r#"viewBox="0 0 "#), "{head}");
        assert_eq!(qr_svg(&"x".repeat(10_000)), "");
    }
}
