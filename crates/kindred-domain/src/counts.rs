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

/// A total and its parts (reports by kind, say), each at or above the
/// threshold only, and so that no hidden part can be worked out from the
/// others: a total shown beside parts that are shown but one gives that one
/// away. Where parts are hidden, further parts are hidden, smallest first,
/// until at least two are and they add up to the threshold at least; where
/// that cannot be, the total is hidden too. Returns the total and the parts
/// in the order given.
pub fn shown_parts(parts: &[i64], threshold: u32) -> (Option<u64>, Vec<Option<u64>>) {
    let at = |n: i64| shown_count(n, threshold, CountSight::AtThreshold).exact();
    let mut shown: Vec<Option<u64>> = parts.iter().map(|n| at(*n)).collect();
    let total = at(parts.iter().map(|n| (*n).max(0)).sum());
    let hidden_sum = |shown: &[Option<u64>]| -> i64 {
        parts.iter().zip(shown).filter(|(_, s)| s.is_none()).map(|(n, _)| (*n).max(0)).sum()
    };
    let safe = |shown: &[Option<u64>]| {
        let hidden = shown.iter().filter(|s| s.is_none()).count();
        hidden == 0 || (hidden >= 2 && hidden_sum(shown) >= i64::from(threshold))
    };
    while !safe(&shown) {
        let smallest = shown.iter().enumerate().filter_map(|(i, s)| s.map(|n| (n, i))).min();
        match smallest {
            Some((_, i)) => shown[i] = None,
            None => return (None, shown),
        }
    }
    (total, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_hidden_part_can_be_worked_out_from_the_total() {
        assert_eq!(shown_parts(&[8, 6, 7], 5), (Some(21), vec![Some(8), Some(6), Some(7)]));
        // One part hidden: the smallest other goes too.
        assert_eq!(shown_parts(&[8, 2, 7, 24], 5), (Some(41), vec![Some(8), None, None, Some(24)]));
        // Two hidden that add up to less than the threshold: one more.
        assert_eq!(shown_parts(&[8, 1, 2, 24], 5), (Some(35), vec![None, None, None, Some(24)]));
        assert_eq!(shown_parts(&[3, 1], 5), (None, vec![None, None]));
        for parts in [[0, 9, 7, 3, 12], [1, 1, 1, 1, 30], [6, 0, 0, 0, 0], [5, 5, 4, 0, 5]] {
            let (total, shown) = shown_parts(&parts, 5);
            let hidden: Vec<i64> = parts.iter().zip(&shown).filter(|(_, s)| s.is_none()).map(|(n, _)| *n).collect();
            if total.is_some() && !hidden.is_empty() {
                assert!(hidden.len() >= 2 && hidden.iter().sum::<i64>() >= 5, "{parts:?} → {shown:?}");
            }
            for (n, s) in parts.iter().zip(&shown) {
                assert!(s.is_none_or(|s| s == *n as u64 && *n >= 5), "{parts:?} → {shown:?}");
            }
        }
    }

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
