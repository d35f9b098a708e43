//! Host names under which an association is served at the root.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct HostName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not a valid host name (letters, digits, '-' and dots, like forum.example.org)")]
pub struct HostNameError;

impl HostName {
    /// Parses a configured host name, or the `Host` header of a request
    /// (a port and a trailing dot are dropped, letters are lowercased).
    pub fn parse(raw: &str) -> Result<Self, HostNameError> {
        let without_port = match raw.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
            Some(_) => return Err(HostNameError),
            None => raw,
        };
        let host = without_port.strip_suffix('.').unwrap_or(without_port).to_ascii_lowercase();
        if host.is_empty() || host.len() > 253 {
            return Err(HostNameError);
        }
        let labels_ok = host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if labels_ok {
            Ok(Self(host))
        } else {
            Err(HostNameError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(HostName::parse("Forum.Example.ORG:8443").map(|h| h.0), Ok("forum.example.org".into()));
        assert_eq!(HostName::parse("forum.example.org.").map(|h| h.0), Ok("forum.example.org".into()));
        assert_eq!(HostName::parse("localhost").map(|h| h.0), Ok("localhost".into()));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", ":80", "a..b", "-a.org", "a_b.org", "exa mple.org", "[::1]:80", "a.org:x"] {
            assert!(HostName::parse(bad).is_err(), "{bad}");
        }
    }
}
