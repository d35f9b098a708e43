//! Who may see, read, join and moderate a group — the one place that
//! decides it, like `disclosure` does for profiles. Pure: the facts come in,
//! the decision goes out.
//!
//! The rule that matters most: a secret group does not exist for anyone who
//! is not in it (a member, a group moderator, or invited), association staff
//! included. Whoever gets `GroupSight::Nothing` must be answered exactly as
//! for an id that was never used.

use crate::counts::CountSight;
use crate::AccountRole;

/// Who may find and join a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupVisibility {
    /// Anyone may join.
    Open,
    /// Visible to all; joining needs a group moderator's approval; the forum
    /// is for members.
    Closed,
    /// Invitation only, and invisible to everyone else.
    Secret,
}

impl GroupVisibility {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            "secret" => Some(Self::Secret),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Secret => "secret",
        }
    }
}

/// Who sees a group's member list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberListVisibility {
    /// Every member of the association who sees the group.
    Members,
    /// The group's own members.
    Group,
    /// The group's moderators only.
    Moderators,
}

impl MemberListVisibility {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "members" => Some(Self::Members),
            "group" => Some(Self::Group),
            "moderators" => Some(Self::Moderators),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Group => "group",
            Self::Moderators => "moderators",
        }
    }
}

/// Whether a group meets online or in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupMode {
    Online,
    Local,
}

impl GroupMode {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "online" => Some(Self::Online),
            "local" => Some(Self::Local),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Local => "local",
        }
    }
}

/// Where the viewer stands with a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Membership {
    /// Not in it (never, or left).
    Outside,
    /// Asked to join a closed group; waits for a group moderator.
    Requested,
    /// Invited; waits for the viewer's answer.
    Invited,
    Member,
    /// A member who moderates the group.
    Moderator,
}

impl Membership {
    /// From the stored status and role (`None` when there is no row).
    pub fn from_stored(status: Option<&str>, role: Option<&str>) -> Self {
        match (status, role) {
            (Some("member"), Some("moderator")) => Self::Moderator,
            (Some("member"), _) => Self::Member,
            (Some("requested"), _) => Self::Requested,
            (Some("invited"), _) => Self::Invited,
            _ => Self::Outside,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Outside => "none",
            Self::Requested => "requested",
            Self::Invited => "invited",
            Self::Member => "member",
            Self::Moderator => "moderator",
        }
    }

    pub fn is_member(self) -> bool {
        matches!(self, Self::Member | Self::Moderator)
    }
}

/// The one role a member cannot simply claim: professionals are verified by
/// the association (account role), so the profile's self-declared role never
/// admits to a group for professionals.
pub const PROFESSIONAL: &str = "professional";

/// Whether the viewer holds the role a group is restricted to. For
/// professionals that is the verified account role; for the other roles
/// (patient, relative, carer, an association's own) the role the member
/// gives in their profile, which nobody checks — and which every member of
/// such a group shows to the others by being in it.
pub fn role_fits(required: &str, account_role: AccountRole, profile_role: Option<&str>) -> bool {
    if required == PROFESSIONAL {
        account_role == AccountRole::Professional
    } else {
        profile_role == Some(required)
    }
}

/// What decides a viewer's access to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupFacts {
    pub visibility: GroupVisibility,
    pub member_list: MemberListVisibility,
    /// The group is for holders of one profile role only (e.g. relatives):
    /// `Some(true)` when the viewer holds it, `Some(false)` when not.
    pub role_fits: Option<bool>,
    /// Members appear under an alias of this group only.
    pub alias_mode: bool,
}

/// How the viewer may join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joining {
    /// At once (open group).
    Direct,
    /// By asking a group moderator (closed group).
    OnRequest,
    /// By accepting the invitation they hold.
    AcceptInvitation,
    /// Not at all: already in, already asked, or the group is for another role.
    No,
}

/// What a viewer may do with a group they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupAccess {
    pub membership: Membership,
    pub join: Joining,
    /// May read the group's forum (topics and posts).
    pub read: bool,
    /// May write in the group's forum.
    pub write: bool,
    /// May hide, lock, pin, move and warn in the group, approve requests, invite.
    pub moderate: bool,
    /// May invite members (group moderators; any member of an open group).
    pub invite: bool,
    pub see_members: bool,
    /// How the viewer sees the number of members: exactly for the group's
    /// moderators, else only at or above the association's threshold; in
    /// alias groups not at all (a count that moves right after an
    /// invitation tells the inviter it was accepted).
    pub member_count: CountSight,
}

/// What the viewer gets of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSight {
    /// The group does not exist for the viewer.
    Nothing,
    Visible(GroupAccess),
}

/// Association staff (moderators, admins) look after open and closed groups
/// too — they read them and act on reports — but never secret ones.
fn is_staff(role: AccountRole) -> bool {
    matches!(role, AccountRole::Moderator | AccountRole::Admin)
}

/// The decision. `viewer_role` is the viewer's account role.
pub fn group_sight(group: &GroupFacts, viewer_role: AccountRole, membership: Membership) -> GroupSight {
    let member = membership.is_member();
    let group_moderator = membership == Membership::Moderator;
    let staff = is_staff(viewer_role) && group.visibility != GroupVisibility::Secret;
    if group.visibility == GroupVisibility::Secret && !member && membership != Membership::Invited {
        return GroupSight::Nothing;
    }
    let role_ok = group.role_fits != Some(false);
    let join = match (membership, group.visibility) {
        (Membership::Invited, _) if role_ok => Joining::AcceptInvitation,
        (Membership::Outside, GroupVisibility::Open) if role_ok => Joining::Direct,
        (Membership::Outside, GroupVisibility::Closed) if role_ok => Joining::OnRequest,
        _ => Joining::No,
    };
    // A group for one role (relatives, say): being in it, or writing in
    // it, tells that role, which its holder may show only at a higher
    // level. Its members see each other (its page tells them so); outside
    // it only the association's staff, who look after it, read its forum
    // or see who is in it — whatever its kind and member list.
    let outsiders_see = group.role_fits.is_none();
    let read = member || staff || (group.visibility == GroupVisibility::Open && outsiders_see);
    let moderate = group_moderator || staff;
    let see_members = match group.member_list {
        MemberListVisibility::Members => {
            member || staff || (group.visibility != GroupVisibility::Secret && outsiders_see)
        }
        MemberListVisibility::Group => member,
        MemberListVisibility::Moderators => group_moderator,
    };
    GroupSight::Visible(GroupAccess {
        membership,
        join,
        read,
        write: member,
        moderate,
        invite: group_moderator || (member && group.visibility == GroupVisibility::Open),
        see_members,
        member_count: if group.alias_mode {
            CountSight::Hidden
        } else if group_moderator {
            CountSight::Exact
        } else {
            CountSight::AtThreshold
        },
    })
}

/// Where a forum topic is, for deciding whether it may move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForumPlace<'a> {
    /// An association-wide category: every member reads it.
    Category,
    Group {
        id: &'a str,
        facts: GroupFacts,
        alias_mode: bool,
    },
}

/// Whether every member who may read the association's forum can already
/// tell who writes in this group's forum: an open group's forum is read by
/// all, a closed group's member list may be public; a secret group, or a
/// closed one whose list only members or moderators see, keeps its authors
/// (and so its membership) among its readers.
fn authors_public(facts: &GroupFacts) -> bool {
    match facts.visibility {
        GroupVisibility::Open => true,
        GroupVisibility::Closed => facts.member_list == MemberListVisibility::Members,
        GroupVisibility::Secret => false,
    }
}

/// Whether moving a topic from `from` to `to` keeps who sees its authors
/// within who saw them: a move may narrow the readers, never widen them.
/// So a topic never moves into or out of an alias group (aliases would be
/// tied to pseudonyms, or pseudonyms shown where only aliases are), and
/// never out of a group whose authors only its own readers could tell.
pub fn move_keeps_authors(from: &ForumPlace<'_>, to: &ForumPlace<'_>) -> bool {
    let same = matches!((from, to), (ForumPlace::Group { id: a, .. }, ForumPlace::Group { id: b, .. }) if a == b);
    if same {
        return true;
    }
    let alias = |place: &ForumPlace<'_>| matches!(place, ForumPlace::Group { alias_mode: true, .. });
    if alias(from) || alias(to) {
        return false;
    }
    match from {
        ForumPlace::Category => true,
        ForumPlace::Group { facts, .. } => authors_public(facts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [AccountRole; 4] =
        [AccountRole::Member, AccountRole::Professional, AccountRole::Moderator, AccountRole::Admin];
    const MEMBERSHIPS: [Membership; 5] =
        [Membership::Outside, Membership::Requested, Membership::Invited, Membership::Member, Membership::Moderator];
    const VISIBILITIES: [GroupVisibility; 3] =
        [GroupVisibility::Open, GroupVisibility::Closed, GroupVisibility::Secret];
    const LISTS: [MemberListVisibility; 3] =
        [MemberListVisibility::Members, MemberListVisibility::Group, MemberListVisibility::Moderators];
    const FITS: [Option<bool>; 3] = [None, Some(true), Some(false)];

    fn every_case() -> impl Iterator<Item = (GroupFacts, AccountRole, Membership, GroupSight)> {
        VISIBILITIES.into_iter().flat_map(|visibility| {
            LISTS.into_iter().flat_map(move |member_list| {
                FITS.into_iter().flat_map(move |role_fits| {
                    [false, true].into_iter().flat_map(move |alias_mode| {
                        ROLES.into_iter().flat_map(move |role| {
                            MEMBERSHIPS.into_iter().map(move |membership| {
                                let facts = GroupFacts { visibility, member_list, role_fits, alias_mode };
                                (facts, role, membership, group_sight(&facts, role, membership))
                            })
                        })
                    })
                })
            })
        })
    }

    #[test]
    fn a_secret_group_does_not_exist_for_outsiders_staff_included() {
        for (facts, role, membership, sight) in every_case() {
            let inside = membership.is_member() || membership == Membership::Invited;
            if facts.visibility == GroupVisibility::Secret && !inside {
                assert_eq!(sight, GroupSight::Nothing, "{facts:?} {role:?} {membership:?}");
            } else {
                assert_ne!(sight, GroupSight::Nothing, "{facts:?} {role:?} {membership:?}");
            }
        }
    }

    #[test]
    fn only_members_write_and_only_members_or_invitees_see_secret_groups() {
        for (facts, role, membership, sight) in every_case() {
            let GroupSight::Visible(access) = sight else { continue };
            assert_eq!(access.write, membership.is_member(), "{facts:?} {role:?} {membership:?}");
            if facts.visibility == GroupVisibility::Secret {
                assert_eq!(access.read, membership.is_member());
                assert_eq!(access.moderate, membership == Membership::Moderator, "staff never moderate secret groups");
            }
            if facts.visibility == GroupVisibility::Closed && !membership.is_member() {
                assert_eq!(access.read, matches!(role, AccountRole::Moderator | AccountRole::Admin));
            }
        }
    }

    #[test]
    fn the_member_list_follows_the_group_setting() {
        for (facts, role, membership, sight) in every_case() {
            let GroupSight::Visible(access) = sight else { continue };
            match facts.member_list {
                MemberListVisibility::Moderators => assert_eq!(access.see_members, membership == Membership::Moderator),
                MemberListVisibility::Group => assert_eq!(access.see_members, membership.is_member()),
                MemberListVisibility::Members if facts.visibility != GroupVisibility::Secret => {
                    let staff = matches!(role, AccountRole::Moderator | AccountRole::Admin);
                    let expected = facts.role_fits.is_none() || membership.is_member() || staff;
                    assert_eq!(access.see_members, expected, "{facts:?} {role:?} {membership:?}")
                }
                MemberListVisibility::Members => assert_eq!(access.see_members, membership.is_member()),
            }
        }
    }

    #[test]
    fn a_group_for_one_role_shows_neither_forum_nor_members_to_other_members_outside_it() {
        for (facts, role, membership, sight) in every_case() {
            let GroupSight::Visible(access) = sight else { continue };
            let staff = matches!(role, AccountRole::Moderator | AccountRole::Admin);
            if facts.role_fits.is_some() && !membership.is_member() && !staff {
                assert!(!access.read && !access.see_members, "{facts:?} {role:?} {membership:?}");
            }
        }
    }

    #[test]
    fn exact_member_counts_only_for_the_group_s_moderators_staff_neither_none_in_alias_groups() {
        for (facts, role, membership, sight) in every_case() {
            let GroupSight::Visible(access) = sight else { continue };
            let expected = if facts.alias_mode {
                CountSight::Hidden
            } else if membership == Membership::Moderator {
                CountSight::Exact
            } else {
                CountSight::AtThreshold
            };
            assert_eq!(access.member_count, expected, "{facts:?} {role:?} {membership:?}");
        }
    }

    #[test]
    fn joining_depends_on_the_kind_the_role_and_where_one_stands() {
        for (facts, _, membership, sight) in every_case() {
            let GroupSight::Visible(access) = sight else { continue };
            let expected = if facts.role_fits == Some(false) {
                Joining::No
            } else {
                match (membership, facts.visibility) {
                    (Membership::Invited, _) => Joining::AcceptInvitation,
                    (Membership::Outside, GroupVisibility::Open) => Joining::Direct,
                    (Membership::Outside, GroupVisibility::Closed) => Joining::OnRequest,
                    _ => Joining::No,
                }
            };
            assert_eq!(access.join, expected, "{facts:?} {membership:?}");
        }
    }

    #[test]
    fn professionals_are_the_verified_ones_other_roles_are_declared() {
        for role in ROLES {
            let verified = role == AccountRole::Professional;
            assert_eq!(role_fits(PROFESSIONAL, role, Some(PROFESSIONAL)), verified, "{role:?}");
            assert_eq!(role_fits(PROFESSIONAL, role, None), verified, "{role:?}");
            assert!(role_fits("relative", role, Some("relative")), "{role:?}");
            assert!(!role_fits("relative", role, Some("patient")), "{role:?}");
            assert!(!role_fits("relative", role, None), "{role:?}");
        }
    }

    #[test]
    fn stored_membership_reads_back() {
        assert_eq!(Membership::from_stored(Some("member"), Some("moderator")), Membership::Moderator);
        assert_eq!(Membership::from_stored(Some("member"), Some("member")), Membership::Member);
        assert_eq!(Membership::from_stored(Some("left"), Some("moderator")), Membership::Outside);
        assert_eq!(Membership::from_stored(None, None), Membership::Outside);
        assert_eq!(GroupVisibility::parse("secret"), Some(GroupVisibility::Secret));
        assert_eq!(GroupVisibility::parse("Secret"), None);
    }

    #[test]
    fn a_move_never_widens_who_sees_an_author() {
        let category = ForumPlace::Category;
        for visibility in VISIBILITIES {
            for member_list in LISTS {
                for alias_mode in [false, true] {
                    let facts = GroupFacts { visibility, member_list, role_fits: None, alias_mode };
                    let here = ForumPlace::Group { id: "g1", facts, alias_mode };
                    let open = GroupFacts {
                        visibility: GroupVisibility::Open,
                        member_list,
                        role_fits: None,
                        alias_mode: false,
                    };
                    let elsewhere = ForumPlace::Group { id: "g2", facts: open, alias_mode: false };
                    assert!(move_keeps_authors(&here, &here), "within one group");
                    assert_eq!(move_keeps_authors(&category, &here), !alias_mode, "into {facts:?} {alias_mode}");
                    let public = !alias_mode
                        && (visibility == GroupVisibility::Open
                            || (visibility == GroupVisibility::Closed && member_list == MemberListVisibility::Members));
                    assert_eq!(move_keeps_authors(&here, &category), public, "out of {facts:?} {alias_mode}");
                    assert_eq!(move_keeps_authors(&here, &elsewhere), public, "out of {facts:?} {alias_mode}");
                }
            }
        }
    }
}
