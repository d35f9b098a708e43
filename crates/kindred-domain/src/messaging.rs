//! Messaging: what a message, a conversation's member set and a
//! disappearing time may be, and **who may write to whom** — one pure
//! function, [`may_start`], that every path starting a conversation asks.
//!
//! The decision, in order:
//!
//! 1. A member in a block with the other (either way), or one the writer
//!    may not see at all, is no one to write to: the caller answers as for
//!    an unknown id (the service does this through `disclosure::sight`
//!    before it gets here; [`Between::Blocked`] is `Forbidden` here too).
//! 2. The association's policy (`policies.messaging`) gives the most a
//!    writer may do with this relation:
//!    - `anyone`: contacts directly, everyone else as a request;
//!    - `contacts`: contacts directly, nobody else;
//!    - `contacts_and_groups`: contacts directly, members of a group both
//!      belong to as a request, strangers not at all.
//! 3. The first of the association's role rules whose `from` and `to`
//!    match the two account roles may lower that (never raise it): `direct`
//!    leaves the policy's answer, `request` turns a direct message into a
//!    request, `never` forbids it. No matching rule: the policy's answer.
//!
//! A rule applies to *starting* a conversation only: once the other side
//! started it (staff writing to a member, say), the member may answer.

use crate::AccountRole;

/// Longest message, in characters.
pub const MAX_BODY_CHARS: usize = 10_000;
/// Most members of a conversation, the creator included.
pub const MAX_MEMBERS: usize = 50;
/// Shortest and longest disappearing time, in seconds: 5 minutes, 4 weeks.
pub const MIN_DISAPPEARING: i64 = 300;
pub const MAX_DISAPPEARING: i64 = 4 * 7 * 24 * 3600;

/// A message's text as written: trimmed, not empty, at most
/// [`MAX_BODY_CHARS`] characters, without NUL or other control characters
/// (tab and line breaks excepted) and without the bidirectional overrides
/// and isolates that make text read differently from how it is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct MessageBody(String);

/// Never prints the text: a `{:?}` in a log line must not leak a message.
impl std::fmt::Debug for MessageBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MessageBody({} chars)", self.0.chars().count())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyProblem {
    Empty,
    TooLong,
    ControlCharacter,
}

impl BodyProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::Empty => "must not be empty",
            Self::TooLong => "is too long (at most 10,000 characters)",
            Self::ControlCharacter => "contains control or text-direction characters",
        }
    }
}

/// Characters that reorder text on screen (bidi embeddings, overrides,
/// isolates): a message could show a link or a number other than it holds.
fn reorders_text(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl MessageBody {
    pub fn parse(raw: &str) -> Result<MessageBody, BodyProblem> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(BodyProblem::Empty);
        }
        if text.chars().count() > MAX_BODY_CHARS {
            return Err(BodyProblem::TooLong);
        }
        if text.chars().any(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || reorders_text(c)) {
            return Err(BodyProblem::ControlCharacter);
        }
        Ok(MessageBody(text.replace("\r\n", "\n")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembersProblem {
    /// Nobody but the creator.
    NobodyElse,
    /// More than [`MAX_MEMBERS`] with the creator.
    TooMany,
}

impl MembersProblem {
    pub fn message(self) -> &'static str {
        match self {
            Self::NobodyElse => "must name at least one other member",
            Self::TooMany => "may name at most 49 others (50 members with you)",
        }
    }
}

/// The other members of a new conversation: distinct, not the creator,
/// between one and [`MAX_MEMBERS`] − 1. Ids are compared as given; the
/// service checks that each names a member the creator may see.
pub fn other_members<'a>(creator: &str, named: &'a [String]) -> Result<Vec<&'a str>, MembersProblem> {
    let mut others: Vec<&str> = Vec::new();
    for id in named {
        let id = id.as_str();
        if id != creator && !others.contains(&id) {
            others.push(id);
        }
        if others.len() >= MAX_MEMBERS {
            return Err(MembersProblem::TooMany);
        }
    }
    if others.is_empty() {
        return Err(MembersProblem::NobodyElse);
    }
    Ok(others)
}

/// How long after sending a message disappears: 5 minutes to 4 weeks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disappearing(i64);

impl Disappearing {
    /// `None` (off) is always valid; a number must lie in the range.
    pub fn parse(seconds: Option<i64>) -> Result<Option<Disappearing>, &'static str> {
        match seconds {
            None => Ok(None),
            Some(s) if (MIN_DISAPPEARING..=MAX_DISAPPEARING).contains(&s) => Ok(Some(Disappearing(s))),
            Some(_) => Err("must be between 300 (5 minutes) and 2419200 (4 weeks) seconds, or null"),
        }
    }

    pub fn seconds(self) -> i64 {
        self.0
    }
}

/// Who may start a conversation with whom, as the association set it.
pub use crate::settings::MessagingPolicy;

/// What lies between the writer and one recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Between {
    /// Either placed the other on a level (a contact).
    Contact,
    /// Not contacts, but both are members of one group.
    SharedGroup,
    /// Neither.
    Stranger,
    /// Either blocked the other.
    Blocked,
}

/// May the writer start a conversation with the recipient, and how.
/// Ordered: `Forbidden < Request < Direct`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Decision {
    /// Not at all (403 `messaging_not_allowed`).
    Forbidden,
    /// The first message lands as a request the recipient accepts or declines.
    Request,
    /// The conversation starts at once.
    Direct,
}

impl Decision {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "direct" => Some(Self::Direct),
            "request" => Some(Self::Request),
            "never" => Some(Self::Forbidden),
            _ => None,
        }
    }

    /// The name in the configuration's role rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Request => "request",
            Self::Forbidden => "never",
        }
    }
}

/// One side of a role rule: a role, or every role (`*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleMatch {
    Any,
    Role(AccountRole),
}

impl RoleMatch {
    pub fn parse(raw: &str) -> Option<Self> {
        if raw == "*" {
            Some(Self::Any)
        } else {
            AccountRole::parse(raw).map(Self::Role)
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Any => "*",
            Self::Role(role) => role.as_str(),
        }
    }

    fn matches(self, role: AccountRole) -> bool {
        match self {
            Self::Any => true,
            Self::Role(r) => r == role,
        }
    }
}

/// "A writer of role `from` starting a conversation with someone of role
/// `to` may at most do `allow`." The first matching rule counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleRule {
    pub from: RoleMatch,
    pub to: RoleMatch,
    pub allow: Decision,
}

/// The rules of an association that configures none: members reach
/// professionals only by a request; admins write to each other, and nobody
/// else starts a conversation with an admin (staff are reached through the
/// association's contact address; an admin may write first, and then the
/// member answers in that conversation).
pub fn default_role_rules() -> Vec<RoleRule> {
    use AccountRole::{Admin, Member, Professional};
    vec![
        RoleRule { from: RoleMatch::Role(Member), to: RoleMatch::Role(Professional), allow: Decision::Request },
        RoleRule { from: RoleMatch::Role(Admin), to: RoleMatch::Role(Admin), allow: Decision::Direct },
        RoleRule { from: RoleMatch::Any, to: RoleMatch::Role(Admin), allow: Decision::Forbidden },
    ]
}

/// The one decision: may `from` start a conversation with `to`, given the
/// association's policy and role rules and what lies between them.
pub fn may_start(
    policy: MessagingPolicy,
    rules: &[RoleRule],
    from: AccountRole,
    to: AccountRole,
    between: Between,
) -> Decision {
    let by_policy = match (policy, between) {
        (_, Between::Blocked) => Decision::Forbidden,
        (_, Between::Contact) => Decision::Direct,
        (MessagingPolicy::Anyone, _) => Decision::Request,
        (MessagingPolicy::Contacts, _) => Decision::Forbidden,
        (MessagingPolicy::ContactsAndGroups, Between::SharedGroup) => Decision::Request,
        (MessagingPolicy::ContactsAndGroups, Between::Stranger) => Decision::Forbidden,
    };
    let cap = rules.iter().find(|r| r.from.matches(from) && r.to.matches(to)).map_or(Decision::Direct, |r| r.allow);
    by_policy.min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountRole::*;
    use Between::*;
    use Decision::*;

    #[test]
    fn the_policy_matrix() {
        let none: &[RoleRule] = &[];
        let table = [
            (MessagingPolicy::Anyone, [Direct, Request, Request, Forbidden]),
            (MessagingPolicy::Contacts, [Direct, Forbidden, Forbidden, Forbidden]),
            (MessagingPolicy::ContactsAndGroups, [Direct, Request, Forbidden, Forbidden]),
        ];
        for (policy, expected) in table {
            for (between, want) in [Contact, SharedGroup, Stranger, Blocked].into_iter().zip(expected) {
                assert_eq!(may_start(policy, none, Member, Member, between), want, "{policy:?} {between:?}");
            }
        }
    }

    #[test]
    fn role_rules_only_lower_and_the_first_match_counts() {
        let rules = default_role_rules();
        let p = MessagingPolicy::Anyone;
        assert_eq!(may_start(p, &rules, Member, Professional, Contact), Request);
        assert_eq!(may_start(p, &rules, Member, Professional, Stranger), Request);
        assert_eq!(may_start(MessagingPolicy::Contacts, &rules, Member, Professional, Stranger), Forbidden);
        assert_eq!(may_start(p, &rules, Professional, Member, Contact), Direct);
        assert_eq!(may_start(p, &rules, Member, Admin, Contact), Forbidden);
        assert_eq!(may_start(p, &rules, Moderator, Admin, Contact), Forbidden);
        assert_eq!(may_start(p, &rules, Admin, Admin, Contact), Direct);
        assert_eq!(may_start(p, &rules, Admin, Admin, Stranger), Request, "a rule never raises");
        assert_eq!(may_start(p, &rules, Admin, Member, Stranger), Request);
        assert_eq!(may_start(p, &rules, Admin, Member, Blocked), Forbidden);
    }

    #[test]
    fn bodies() {
        assert_eq!(MessageBody::parse("  hallo \r\n du ").map(|b| b.as_str().to_owned()), Ok("hallo \n du".into()));
        assert_eq!(MessageBody::parse(" \n\t "), Err(BodyProblem::Empty));
        assert_eq!(MessageBody::parse(&"a".repeat(MAX_BODY_CHARS)).map(|_| ()), Ok(()));
        assert_eq!(MessageBody::parse(&"ä".repeat(MAX_BODY_CHARS + 1)), Err(BodyProblem::TooLong));
        assert_eq!(MessageBody::parse("a\0b"), Err(BodyProblem::ControlCharacter));
        assert_eq!(MessageBody::parse("a\u{7}b"), Err(BodyProblem::ControlCharacter));
        assert_eq!(MessageBody::parse("pay \u{202E}0001"), Err(BodyProblem::ControlCharacter));
        assert_eq!(MessageBody::parse("x\u{2066}y"), Err(BodyProblem::ControlCharacter));
    }

    #[test]
    fn member_sets() {
        let ids = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(other_members("me", &ids(&["me"])), Err(MembersProblem::NobodyElse));
        assert_eq!(other_members("me", &ids(&[])), Err(MembersProblem::NobodyElse));
        assert_eq!(other_members("me", &ids(&["a", "me", "a", "b"])), Ok(vec!["a", "b"]));
        let many: Vec<String> = (0..49).map(|i| format!("m{i}")).collect();
        assert_eq!(other_members("me", &many).map(|v| v.len()), Ok(49));
        let too_many: Vec<String> = (0..50).map(|i| format!("m{i}")).collect();
        assert_eq!(other_members("me", &too_many), Err(MembersProblem::TooMany));
    }

    #[test]
    fn disappearing_times() {
        assert_eq!(Disappearing::parse(None), Ok(None));
        assert!(Disappearing::parse(Some(299)).is_err());
        assert_eq!(Disappearing::parse(Some(300)).map(|d| d.map(Disappearing::seconds)), Ok(Some(300)));
        assert!(Disappearing::parse(Some(MAX_DISAPPEARING)).is_ok());
        assert!(Disappearing::parse(Some(MAX_DISAPPEARING + 1)).is_err());
        assert!(Disappearing::parse(Some(-1)).is_err());
    }
}
