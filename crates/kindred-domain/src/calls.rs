//! Calls: the relays a deployment names (`[calls]`), and the limits of a
//! call. Media never passes Kindred: browsers talk to each other directly
//! (WebRTC) or through the operator's own TURN relay; Kindred only rings,
//! hands out short-lived relay credentials and passes the set-up messages
//! between members who are both in the call.

use std::fmt;

/// How long a call can last: a call still open this long after it began
/// is over (someone closed a laptop without leaving, and nobody else was
/// in it any more).
pub const LONGEST_CALL_HOURS: i64 = 12;
/// How long a set-up message (offer, answer, candidate) waits for its
/// recipient: one that arrives later belongs to an attempt that is over.
pub const SIGNAL_SECONDS: i64 = 60;
/// The default lifetime of a TURN credential (`turn_credential_seconds`).
pub const DEFAULT_CREDENTIAL_SECONDS: u32 = 3600;

/// One relay address, as a browser's `RTCIceServer.urls` takes it
/// (RFC 7064, RFC 7065): `stun:host[:port]`, `stuns:…`, `turn:…`,
/// `turns:…`, with `?transport=udp|tcp` for TURN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayUrl(String);

/// Which kind of relay a list names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayKind {
    Stun,
    Turn,
}

impl RelayKind {
    fn schemes(self) -> &'static [&'static str] {
        match self {
            Self::Stun => &["stun", "stuns"],
            Self::Turn => &["turn", "turns"],
        }
    }
}

impl RelayUrl {
    /// A URL of `kind`; what is wrong with it otherwise.
    pub fn parse(raw: &str, kind: RelayKind) -> Result<Self, String> {
        let url = raw.trim();
        let Some((scheme, rest)) = url.split_once(':') else {
            return Err(format!("{raw:?} must look like {}:relay.example.org:3478", kind.schemes()[0]));
        };
        if !kind.schemes().contains(&scheme) {
            return Err(format!("{raw:?} must begin with {}", kind.schemes().join(": or ") + ":"));
        }
        let (address, query) = match rest.split_once('?') {
            Some((address, query)) => (address, Some(query)),
            None => (rest, None),
        };
        let host_ok = !address.is_empty()
            && address.len() <= 255
            && !address.starts_with("//")
            && address.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return Err(format!("{raw:?} must name a host (and port), like {scheme}:relay.example.org:3478"));
        }
        match (kind, query) {
            (_, None) => {}
            (RelayKind::Turn, Some("transport=udp" | "transport=tcp")) => {}
            (_, Some(_)) => {
                return Err(format!("{raw:?}: only ?transport=udp or ?transport=tcp may follow a TURN host"))
            }
        }
        Ok(Self(url.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The secret shared with the TURN server (coturn's `static-auth-secret`).
#[derive(Clone, PartialEq, Eq)]
pub struct TurnSecret(String);

impl TurnSecret {
    /// Not empty, no spaces around it (a pasted newline would make every
    /// credential wrong without a word).
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.is_empty() {
            return Err("must not be empty".to_owned());
        }
        if raw.trim() != raw {
            return Err("must not begin or end with white space".to_owned());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TurnSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TurnSecret(..)")
    }
}

/// The relays of a deployment, checked: TURN addresses always come with
/// the secret their credentials are made with, and a secret with at least
/// one TURN address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relays {
    pub stun: Vec<RelayUrl>,
    /// `None` without a TURN relay.
    pub turn: Option<Turn>,
    /// Browsers use only the relay, never a direct path: members do not
    /// learn each other's network addresses. Only with a TURN relay.
    pub relay_only: bool,
}

/// A TURN relay's addresses and how its credentials are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub urls: Vec<RelayUrl>,
    pub secret: TurnSecret,
    pub credential_seconds: u32,
}

/// What a deployment's `[calls]` says, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct RawRelays {
    pub stun_urls: Vec<String>,
    pub turn_urls: Vec<String>,
    pub turn_secret: Option<String>,
    pub turn_credential_seconds: Option<i64>,
    pub relay_only: Option<bool>,
}

/// A setting of `[calls]` and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayProblem {
    pub setting: String,
    pub problem: String,
}

impl Relays {
    /// No relays: browsers find a direct path or none (a local network).
    pub fn none() -> Self {
        Self { stun: Vec::new(), turn: None, relay_only: false }
    }

    /// Checks `[calls]`. `relay_only` defaults to true where a TURN relay
    /// is named: a direct path shows each browser the other's address,
    /// which a member of a self-help association may not want to give away.
    pub fn parse(raw: RawRelays) -> Result<Self, RelayProblem> {
        let problem = |setting: String, problem: String| RelayProblem { setting, problem };
        let urls = |list: &[String], name: &str, kind| {
            list.iter()
                .enumerate()
                .map(|(i, raw)| RelayUrl::parse(raw, kind).map_err(|p| problem(format!("calls.{name}[{i}]"), p)))
                .collect::<Result<Vec<_>, _>>()
        };
        let stun = urls(&raw.stun_urls, "stun_urls", RelayKind::Stun)?;
        let turn_urls = urls(&raw.turn_urls, "turn_urls", RelayKind::Turn)?;
        let credential_seconds = match raw.turn_credential_seconds {
            None => DEFAULT_CREDENTIAL_SECONDS,
            Some(n) => u32::try_from(n).ok().filter(|n| (60..=86_400).contains(n)).ok_or_else(|| {
                problem("calls.turn_credential_seconds".into(), "must be between 60 and 86400".into())
            })?,
        };
        let secret = raw.turn_secret.filter(|s| !s.is_empty());
        let turn = match (turn_urls.is_empty(), secret) {
            (true, None) => None,
            (false, Some(secret)) => {
                let secret = TurnSecret::parse(&secret).map_err(|p| problem("calls.turn_secret".into(), p))?;
                Some(Turn { urls: turn_urls, secret, credential_seconds })
            }
            (false, None) => {
                return Err(problem(
                    "calls.turn_secret".into(),
                    "is missing for calls.turn_urls (set it here or in KINDRED_TURN_SECRET)".into(),
                ))
            }
            (true, Some(_)) => {
                return Err(problem(
                    "calls.turn_urls".into(),
                    "is empty, but a TURN secret is set (calls.turn_secret or KINDRED_TURN_SECRET)".into(),
                ))
            }
        };
        let relay_only = match (raw.relay_only, &turn) {
            (Some(true), None) => {
                return Err(problem("calls.relay_only".into(), "needs a TURN relay (calls.turn_urls)".into()))
            }
            (Some(chosen), _) => chosen,
            (None, turn) => turn.is_some(),
        };
        Ok(Self { stun, turn, relay_only })
    }
}

/// The TURN REST username for a credential that runs out at `expires`
/// (Unix seconds): `EXPIRY:OPAQUE` — coturn's `use-auth-secret` reads the
/// expiry from it. `opaque` names no member: the relay's log must not say
/// who called whom.
pub fn turn_username(expires: i64, opaque: &str) -> String {
    format!("{expires}:{opaque}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(stun: &[&str], turn: &[&str], secret: Option<&str>) -> RawRelays {
        RawRelays {
            stun_urls: stun.iter().map(|s| (*s).to_owned()).collect(),
            turn_urls: turn.iter().map(|s| (*s).to_owned()).collect(),
            turn_secret: secret.map(str::to_owned),
            ..RawRelays::default()
        }
    }

    #[test]
    fn relay_addresses_are_checked_by_kind() {
        assert!(RelayUrl::parse("stun:stun.example.org:3478", RelayKind::Stun).is_ok());
        assert!(RelayUrl::parse("stuns:stun.example.org", RelayKind::Stun).is_ok());
        assert!(RelayUrl::parse("turn:127.0.0.1:3478?transport=udp", RelayKind::Turn).is_ok());
        assert!(RelayUrl::parse("turns:[::1]:5349?transport=tcp", RelayKind::Turn).is_ok());
        assert!(RelayUrl::parse("turn:relay.example.org", RelayKind::Stun).is_err(), "a TURN address in the STUN list");
        assert!(RelayUrl::parse("stun:x?transport=udp", RelayKind::Stun).is_err());
        assert!(RelayUrl::parse("turn:x?user=a", RelayKind::Turn).is_err());
        assert!(RelayUrl::parse("https://relay.example.org", RelayKind::Turn).is_err());
        assert!(RelayUrl::parse("turn:", RelayKind::Turn).is_err());
        assert!(RelayUrl::parse("turn:a b", RelayKind::Turn).is_err());
        assert!(RelayUrl::parse("turn:\"><script>", RelayKind::Turn).is_err());
    }

    #[test]
    fn a_turn_relay_needs_its_secret_and_the_secret_a_relay() {
        assert_eq!(Relays::parse(RawRelays::default()), Ok(Relays::none()));
        let stun_only = Relays::parse(raw(&["stun:s.example.org"], &[], None)).expect("ok");
        assert!(stun_only.turn.is_none() && !stun_only.relay_only);
        let turn = Relays::parse(raw(&[], &["turn:t.example.org"], Some("s3cret"))).expect("ok");
        let relay = turn.turn.as_ref().expect("turn");
        assert_eq!(relay.credential_seconds, DEFAULT_CREDENTIAL_SECONDS);
        assert!(turn.relay_only, "with a relay, browsers use only the relay unless told otherwise");
        let missing = Relays::parse(raw(&[], &["turn:t.example.org"], None)).expect_err("no secret");
        assert_eq!(missing.setting, "calls.turn_secret");
        let lonely = Relays::parse(raw(&[], &[], Some("s3cret"))).expect_err("no relay");
        assert_eq!(lonely.setting, "calls.turn_urls");
        let spaced = Relays::parse(raw(&[], &["turn:t"], Some("s3cret\n"))).expect_err("white space");
        assert_eq!(spaced.setting, "calls.turn_secret");
    }

    #[test]
    fn lifetimes_and_relay_only_are_bounded() {
        let mut r = raw(&[], &["turn:t"], Some("x"));
        r.turn_credential_seconds = Some(59);
        assert_eq!(Relays::parse(r.clone()).expect_err("short").setting, "calls.turn_credential_seconds");
        r.turn_credential_seconds = Some(86_400);
        r.relay_only = Some(false);
        let relays = Relays::parse(r).expect("ok");
        assert!(!relays.relay_only);
        let mut direct = raw(&["stun:s"], &[], None);
        direct.relay_only = Some(true);
        assert_eq!(Relays::parse(direct).expect_err("no relay").setting, "calls.relay_only");
    }

    #[test]
    fn the_secret_never_prints() {
        let secret = TurnSecret::parse("very-secret").expect("ok");
        assert!(!format!("{secret:?}").contains("very"));
        assert_eq!(turn_username(1_700_000_000, "abc"), "1700000000:abc");
    }
}
