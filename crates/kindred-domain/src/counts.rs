//! Counts of people, shown only where they single nobody out.
//!
//! The privacy page promises that a number of members below the
//! association's `count_threshold` is never shown: "1 member" in a group
//! about a rare condition points at a person. Every count of people that
//! leaves the service passes `shown_count`; who may see it exactly (a
//! group's own moderators) is decided with the rest of a viewer's sight
//! (`groups::group_sight`), not here.

/// How a viewer may see a count of people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountSight {
    /// As it is (those who know the people counted anyway).
    Exact,
    /// Only at or above the threshold.
    AtThreshold,
    /// Not at all: even a count above the threshold would tell something
    /// (an arrival in an alias group, say).
    Hidden,
}

/// A count as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShownCount {
    Exact(u64),
    /// Below the threshold: pages say "fewer than {threshold}", the API leaves the field out.
    FewerThan(u32),
    Hidden,
}

impl ShownCount {
    /// The number where it may be given as one.
    pub fn exact(self) -> Option<u64> {
        match self {
            Self::Exact(n) => Some(n),
            Self::FewerThan(_) | Self::Hidden => None,
        }
    }
}

/// The one rule for counts of people: below `threshold` only for those
/// who may see it exactly. A negative count (a bug elsewhere) shows as 0.
pub fn shown_count(n: i64, threshold: u32, sight: CountSight) -> ShownCount {
    let n = u64::try_from(n).unwrap_or(0);
    match sight {
        CountSight::Hidden => ShownCount::Hidden,
        CountSight::Exact => ShownCount::Exact(n),
        CountSight::AtThreshold if n >= u64::from(threshold) => ShownCount::Exact(n),
        CountSight::AtThreshold => ShownCount::FewerThan(threshold),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_the_threshold_only_exactly_for_those_who_may() {
        for threshold in [2, 5, 100] {
            for n in 0..120 {
                let at = shown_count(n, threshold, CountSight::AtThreshold);
                if n < i64::from(threshold) {
                    assert_eq!(at, ShownCount::FewerThan(threshold));
                    assert_eq!(at.exact(), None);
                } else {
                    assert_eq!(at.exact(), Some(n as u64));
                }
                assert_eq!(shown_count(n, threshold, CountSight::Exact), ShownCount::Exact(n as u64));
                assert_eq!(shown_count(n, threshold, CountSight::Hidden), ShownCount::Hidden);
            }
        }
        assert_eq!(shown_count(-3, 5, CountSight::Exact), ShownCount::Exact(0));
    }
}
