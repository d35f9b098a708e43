//! Disclosure: what a viewer may see of a member. The one place where this
//! is decided; every page, API answer, search, list, notification and mail
//! that shows anything of a member asks here first.
//!
//! The rules, in order:
//!
//! 1. A member sees all of their own profile, private fields included.
//! 2. Nobody else sees anything of a member — not even that they exist —
//!    when either of the two has blocked the other, when the viewer is not
//!    an active (verified) member, or when the member is not active
//!    (unverified, suspended).
//! 3. Otherwise the viewer stands on the level the member placed them on
//!    as a contact, and on `Community` without a contact. A field is visible
//!    when its visibility is at or below that level; `Private` never is.
//! 4. A field's visibility is the member's choice, but never more open than
//!    the association's minimum for that field, even if the association
//!    raised the minimum after the choice was made. And a field whose value
//!    gives another away (a form of a condition names the condition; a
//!    year of diagnosis says there is one) is never more open than the
//!    field it implies (`IMPLIES`): it takes the stricter of its own and
//!    that field's visibility, in profiles and in search terms.
//! 5. Roles give no extra sight: admins, moderators and professionals see
//!    profiles exactly as any member on the same level does. Staff work
//!    (admission, moderation) has its own, audited paths.
//! 6. Being found in search additionally needs the member's consent
//!    (`discoverable`); a member is never found by themself.
//!
//! Search applies the same rules inside the database (the store's search
//! query matches a criterion only through terms whose visibility is at or
//! below the level computed by rule 3); `tests/it/privacy.rs` checks that
//! both agree.

use crate::settings::ProfileField;
use crate::{AccountRole, AccountStatus, Level, MemberId, Visibility};

/// One side of a pair: who they are and where they stand.
#[derive(Clone, Debug)]
pub struct Party<'a> {
    pub id: &'a MemberId,
    pub role: AccountRole,
    pub status: AccountStatus,
}

/// What lies between viewer and member, as stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Relation {
    /// The level the member placed the viewer on, when the viewer is their contact.
    pub granted_to_viewer: Option<Level>,
    /// Either of the two blocked the other.
    pub blocked: bool,
}

/// How much of a member a viewer sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sight {
    /// Nothing at all: for the viewer, the member does not exist.
    Nothing,
    /// The member themself.
    Own,
    /// Another active member, standing on this level.
    At(Level),
}

/// Decides how much of `member` the `viewer` sees.
pub fn sight(viewer: &Party<'_>, member: &Party<'_>, relation: Relation) -> Sight {
    if viewer.id == member.id {
        return Sight::Own;
    }
    if relation.blocked || viewer.status != AccountStatus::Active || member.status != AccountStatus::Active {
        return Sight::Nothing;
    }
    // Rule 5: the viewer's role plays no part; it is named here so that
    // a reader sees it was considered, not forgotten.
    let _no_extra_sight_for = viewer.role;
    Sight::At(relation.granted_to_viewer.unwrap_or(Level::Community))
}

/// The visibility that counts for a field: the member's choice, but never
/// more open than the association allows.
pub fn effective_visibility(field: &ProfileField, chosen: Visibility) -> Visibility {
    chosen.max(field.min_visibility)
}

/// Fields whose value gives another field away: (dependent, implied). A
/// form belongs to one condition; a year of diagnosis tells that there is
/// a condition. Associations' own fields are plain text, years, e-mail
/// addresses and phone numbers, which imply nothing. (Therapies and
/// medications are not tied to a condition in the catalogue, so they are
/// not listed: which medication names which condition is not data here.)
pub const IMPLIES: [(&str, &str); 2] = [("condition_form", "condition"), ("diagnosis_year", "condition")];

/// The field that `code`'s value gives away, if any.
pub fn implied_field(code: &str) -> Option<&'static str> {
    IMPLIES.iter().find(|(dependent, _)| *dependent == code).map(|(_, implied)| *implied)
}

/// The visibility that counts for `field` in one member's profile:
/// its effective visibility, but never more open than that of the field
/// it implies (and of what that implies in turn). `chosen` gives the
/// member's choice for a field code, `None` for the field's default;
/// `fields` are the association's. An implied field the association does
/// not have caps nothing.
pub fn visibility_in_profile(
    fields: &[ProfileField],
    field: &ProfileField,
    chosen: &dyn Fn(&str) -> Option<Visibility>,
) -> Visibility {
    let own =
        |spec: &ProfileField| effective_visibility(spec, chosen(spec.code.as_str()).unwrap_or(spec.default_visibility));
    let mut visibility = own(field);
    let mut code = field.code.as_str();
    // The table has no cycles; the bound only keeps a mistake in it finite.
    for _ in 0..IMPLIES.len() {
        let Some(implied) = implied_field(code).and_then(|c| fields.iter().find(|f| f.code.as_str() == c)) else {
            break;
        };
        visibility = visibility.max(own(implied));
        code = implied.code.as_str();
    }
    visibility
}

impl Sight {
    /// Whether the member exists for the viewer at all.
    pub fn exists(self) -> bool {
        self != Sight::Nothing
    }

    /// Whether the viewer sees a field the member set to `chosen` (a field
    /// that implies no other; see [`Sight::sees_at`] for the others).
    pub fn sees(self, field: &ProfileField, chosen: Visibility) -> bool {
        self.sees_at(effective_visibility(field, chosen))
    }

    /// Whether the viewer sees a field whose visibility, all rules applied
    /// ([`visibility_in_profile`]), is `visibility`.
    pub fn sees_at(self, visibility: Visibility) -> bool {
        match self {
            Sight::Nothing => false,
            Sight::Own => true,
            Sight::At(level) => visibility <= Visibility::Level(level),
        }
    }

    /// Whether the member may turn up in the viewer's search results.
    pub fn findable(self, discoverable: bool) -> bool {
        matches!(self, Sight::At(_)) && discoverable
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Code, FieldKind, LocalizedText};

    fn field(min: Visibility) -> ProfileField {
        ProfileField {
            code: Code::parse("condition").unwrap_or_else(|e| panic!("{e}")),
            name: LocalizedText::uniform("Condition"),
            kind: FieldKind::Condition,
            health: true,
            default_visibility: Visibility::Private,
            min_visibility: min,
        }
    }

    const ROLES: [AccountRole; 4] =
        [AccountRole::Admin, AccountRole::Moderator, AccountRole::Professional, AccountRole::Member];
    const STATUSES: [AccountStatus; 4] =
        [AccountStatus::EmailUnconfirmed, AccountStatus::Unverified, AccountStatus::Active, AccountStatus::Suspended];

    fn visibilities() -> Vec<Visibility> {
        let mut all: Vec<Visibility> = Level::ALL.iter().map(|l| Visibility::Level(*l)).collect();
        all.push(Visibility::Private);
        all
    }

    fn grants() -> Vec<Option<Level>> {
        let mut all: Vec<Option<Level>> = Level::ALL.iter().map(|l| Some(*l)).collect();
        all.push(None);
        all
    }

    /// The whole table: every role and status on both sides, every grant,
    /// block or not, every association minimum and every choice. The
    /// expectation is written out independently of the implementation.
    #[test]
    fn table_of_every_combination() {
        let (a, b) = (MemberId::random(), MemberId::random());
        let mut checked = 0;
        for viewer_role in ROLES {
            for member_role in ROLES {
                for viewer_status in STATUSES {
                    for member_status in STATUSES {
                        for granted in grants() {
                            for blocked in [false, true] {
                                for min in visibilities() {
                                    for chosen in visibilities() {
                                        let viewer = Party { id: &a, role: viewer_role, status: viewer_status };
                                        let member = Party { id: &b, role: member_role, status: member_status };
                                        let relation = Relation { granted_to_viewer: granted, blocked };
                                        let s = sight(&viewer, &member, relation);
                                        let both_active = viewer_status == AccountStatus::Active
                                            && member_status == AccountStatus::Active;
                                        let exists = both_active && !blocked;
                                        assert_eq!(s.exists(), exists);
                                        let level = granted.map_or(1, Level::number);
                                        let strictest = match (chosen, min) {
                                            (Visibility::Private, _) | (_, Visibility::Private) => 5,
                                            (Visibility::Level(c), Visibility::Level(m)) => c.number().max(m.number()),
                                        };
                                        let expected = exists && strictest <= level;
                                        assert_eq!(
                                            s.sees(&field(min), chosen),
                                            expected,
                                            "{viewer_role:?}/{viewer_status:?} -> {member_role:?}/{member_status:?}, \
                                             granted {granted:?}, blocked {blocked}, min {min}, chosen {chosen}"
                                        );
                                        assert_eq!(s.findable(true), exists);
                                        assert!(!s.findable(false));
                                        checked += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 4 * 4 * 4 * 5 * 2 * 5 * 5);
    }

    fn named(code: &str, kind: FieldKind, min: Visibility) -> ProfileField {
        ProfileField {
            code: Code::parse(code).unwrap_or_else(|e| panic!("{e}")),
            name: LocalizedText::uniform(code),
            kind,
            health: true,
            default_visibility: Visibility::Private,
            min_visibility: min,
        }
    }

    /// A form of a condition and a year of diagnosis are never seen where
    /// the condition is not: every level, every minimum and choice of the
    /// dependent field and of the condition, and a condition never chosen
    /// (its default).
    #[test]
    fn a_dependent_field_is_never_more_open_than_the_field_it_implies() {
        let rank = |v: Visibility| v.rank();
        let mut checked = 0;
        for dependent in ["condition_form", "diagnosis_year"] {
            for dependent_min in visibilities() {
                for condition_min in visibilities() {
                    let fields = vec![
                        named("condition", FieldKind::Condition, condition_min),
                        named(dependent, FieldKind::Year, dependent_min),
                        named("about", FieldKind::LongText, Visibility::Level(Level::Community)),
                    ];
                    for dependent_chosen in visibilities() {
                        let mut condition_choices: Vec<Option<Visibility>> =
                            visibilities().into_iter().map(Some).collect();
                        condition_choices.push(None);
                        for condition_chosen in condition_choices {
                            let chosen = |code: &str| match code {
                                "condition" => condition_chosen,
                                _ => Some(dependent_chosen),
                            };
                            let v = visibility_in_profile(&fields, &fields[1], &chosen);
                            let condition = condition_chosen.unwrap_or(Visibility::Private);
                            let strictest = [dependent_chosen, dependent_min, condition, condition_min]
                                .into_iter()
                                .map(rank)
                                .max()
                                .unwrap_or(5);
                            assert_eq!(rank(v), strictest, "{dependent} {dependent_chosen}/{dependent_min}, condition {condition_chosen:?}/{condition_min}");
                            let condition_seen = visibility_in_profile(&fields, &fields[0], &chosen);
                            for level in Level::ALL {
                                let s = Sight::At(level);
                                assert_eq!(s.sees_at(v), strictest <= i32::from(level.number()));
                                assert!(
                                    !s.sees_at(v) || s.sees_at(condition_seen),
                                    "never the form without the condition"
                                );
                            }
                            assert!(Sight::Own.sees_at(v));
                            assert!(!Sight::Nothing.sees_at(v));
                            // A field that implies nothing keeps its own visibility.
                            let about = visibility_in_profile(&fields, &fields[2], &chosen);
                            assert_eq!(about, effective_visibility(&fields[2], dependent_chosen));
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 5 * 5 * 5 * 6);
        // Without the implied field in the association, nothing caps.
        let alone = [named("condition_form", FieldKind::ConditionForm, Visibility::Level(Level::Community))];
        let v = visibility_in_profile(&alone, &alone[0], &|_| Some(Visibility::Level(Level::Community)));
        assert_eq!(v, Visibility::Level(Level::Community));
    }

    #[test]
    fn a_member_sees_all_of_themself_but_never_finds_themself() {
        let a = MemberId::random();
        for status in STATUSES {
            let me = Party { id: &a, role: AccountRole::Member, status };
            let s = sight(&me, &me, Relation { granted_to_viewer: None, blocked: true });
            assert_eq!(s, Sight::Own);
            assert!(s.sees(&field(Visibility::Private), Visibility::Private));
            assert!(!s.findable(true));
        }
    }

    #[test]
    fn lowering_a_level_hides_at_once() {
        let (a, b) = (MemberId::random(), MemberId::random());
        let viewer = Party { id: &a, role: AccountRole::Member, status: AccountStatus::Active };
        let member = Party { id: &b, role: AccountRole::Member, status: AccountStatus::Active };
        let chosen = Visibility::Level(Level::Trusted);
        let f = field(Visibility::Level(Level::Community));
        let at = |l| sight(&viewer, &member, Relation { granted_to_viewer: Some(l), blocked: false });
        assert!(at(Level::Personal).sees(&f, chosen));
        assert!(at(Level::Trusted).sees(&f, chosen));
        assert!(!at(Level::Acquainted).sees(&f, chosen));
    }

    #[test]
    fn a_raised_minimum_wins_over_an_older_choice() {
        let f = field(Visibility::Level(Level::Trusted));
        assert_eq!(effective_visibility(&f, Visibility::Level(Level::Community)), Visibility::Level(Level::Trusted));
        assert_eq!(effective_visibility(&f, Visibility::Private), Visibility::Private);
    }
}
