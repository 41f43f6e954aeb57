//! Crate-private helpers that read typed values out of the XML tree.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::xml::Element;

/// Costa Rica's UTC offset (UTC-6, no daylight saving), used for timestamps written without one.
pub const COSTA_RICA_OFFSET: FixedOffset = match FixedOffset::west_opt(6 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC-6 is a valid offset"),
};

/// Required trimmed text at `path`.
pub(crate) fn required<'a>(el: &'a Element, path: &[&str], field: &'static str) -> Result<&'a str> {
    el.text_at(path).ok_or(Error::MissingField { field })
}

/// Optional trimmed text at `path`, owned.
pub(crate) fn optional(el: &Element, path: &[&str]) -> Option<String> {
    el.text_at(path).map(str::to_string)
}

/// Optional decimal at `path`; an unparsable number is an error naming the field.
pub(crate) fn decimal(el: &Element, path: &[&str], field: &'static str) -> Result<Option<Decimal>> {
    match el.text_at(path) {
        None => Ok(None),
        Some(text) => parse_decimal(text, field).map(Some),
    }
}

/// Parses a decimal amount as Hacienda writes them (`455`, `287.61062`, `1235.0`).
pub(crate) fn parse_decimal(text: &str, field: &'static str) -> Result<Decimal> {
    let t = text.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|e| Error::invalid(field, t, e.to_string()))
}

/// Parses the timestamps seen in documents and answers: RFC 3339 (`2021-04-28T20:03:12-06:00`,
/// `2024-04-01T00:00:00.000Z`), offsets without a colon (`2016-01-01T00:00:00-0600`) and local
/// times without an offset (taken as Costa Rica time, UTC-6).
pub fn parse_timestamp(text: &str) -> Option<DateTime<FixedOffset>> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(t, fmt) {
            return Some(dt);
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(t, fmt) {
            return COSTA_RICA_OFFSET.from_local_datetime(&naive).single();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_seen_in_the_wild() {
        let cases = [
            ("2021-04-28T20:03:12-06:00", "2021-04-29T02:03:12+00:00"),
            ("2016-01-01T00:00:00-0600", "2016-01-01T06:00:00+00:00"),
            ("2024-04-01T00:00:00.000Z", "2024-04-01T00:00:00+00:00"),
            ("2018-07-02T10:07:55", "2018-07-02T16:07:55+00:00"),
        ];
        for (input, utc) in cases {
            let dt = parse_timestamp(input).unwrap_or_else(|| panic!("{input}"));
            assert_eq!(dt.with_timezone(&chrono::Utc).to_rfc3339(), utc, "{input}");
        }
        assert_eq!(parse_timestamp("ayer"), None);
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal("287.61062", "x").unwrap().to_string(), "287.61062");
        assert!(parse_decimal("12,5", "x").is_err());
    }
}
