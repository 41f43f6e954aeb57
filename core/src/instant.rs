//! Instant arithmetic that saturates at chrono's range ends instead of panicking: stored records
//! come from hosts, and no input may crash the engine.

use chrono::{DateTime, TimeDelta, Utc};

/// `t + d`, clamped to the representable range.
pub(crate) fn plus(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(if d < TimeDelta::zero() {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

/// `t - d`, clamped to the representable range.
pub(crate) fn minus(t: DateTime<Utc>, d: TimeDelta) -> DateTime<Utc> {
    plus(t, -d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturates_at_both_ends() {
        let max = DateTime::<Utc>::MAX_UTC;
        assert_eq!(plus(max, TimeDelta::days(1)), max);
        assert_eq!(
            minus(DateTime::<Utc>::MIN_UTC, TimeDelta::days(1)),
            DateTime::<Utc>::MIN_UTC
        );
        let t = DateTime::<Utc>::UNIX_EPOCH;
        assert_eq!(plus(t, TimeDelta::seconds(5)), t + TimeDelta::seconds(5));
    }
}
