//! Durations in JSON as (fractional) seconds, millisecond precision: the shape hosts and the
//! shared vectors use (`"delay": 450.0`).

/// `TimeDelta` as (fractional) seconds.
pub(crate) mod seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn to_secs(d: &TimeDelta) -> f64 {
        d.num_milliseconds() as f64 / 1000.0
    }

    pub(crate) fn from_secs(s: f64) -> Option<TimeDelta> {
        (s.is_finite() && s.abs() < 1e12).then(|| TimeDelta::milliseconds((s * 1000.0).round() as i64))
    }

    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(to_secs(d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let secs = f64::deserialize(d)?;
        from_secs(secs).ok_or_else(|| serde::de::Error::custom("duration out of range"))
    }
}

/// `Option<TimeDelta>` as seconds or null.
pub(crate) mod opt_seconds {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&super::seconds::to_secs(d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeDelta>, D::Error> {
        match Option::<f64>::deserialize(d)? {
            None => Ok(None),
            Some(secs) => super::seconds::from_secs(secs)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("duration out of range")),
        }
    }
}

/// `Vec<TimeDelta>` as a list of seconds.
pub(crate) mod seconds_list {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &[TimeDelta], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(super::seconds::to_secs))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TimeDelta>, D::Error> {
        Vec::<f64>::deserialize(d)?
            .into_iter()
            .map(|secs| {
                super::seconds::from_secs(secs).ok_or_else(|| serde::de::Error::custom("duration out of range"))
            })
            .collect()
    }
}
