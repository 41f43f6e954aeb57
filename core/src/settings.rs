//! Company settings of the scheduling engine: the `l10n_cr_*` fields of the old Odoo module,
//! with their defaults and validation messages an operator understands.
//!
//! ```
//! use hacienda_core::settings::Settings;
//!
//! let mut s = Settings::default();
//! assert_eq!(s.polling_interval, 15);
//! s.polling_interval = 0;
//! let err = s.validate().unwrap_err();
//! assert_eq!(err.field(), Some("polling_interval"));
//! ```

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The prefix of every company field in Odoo (`l10n_cr_polling_interval`).
pub const FIELD_PREFIX: &str = "l10n_cr_";

/// Scheduling settings of one company. Numbers are `i64` so that a negative value coming from a
/// form is reported by [`Settings::validate`] instead of failing a conversion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Poll submitted documents automatically (default on).
    pub auto_polling_enabled: bool,
    /// Minutes between polls of one document once the first quick polls are done (15).
    pub polling_interval: i64,
    /// Hours after submission when a document leaves polling as "needs attention" (24).
    pub polling_max_hours: i64,
    /// Documents polled per cron run (50).
    pub polling_batch_size: i64,
    /// Documents per batch in bulk sign / submit / status wizards (50).
    pub batch_size: i64,
    /// Seconds between waves of bulk batches (5).
    pub batch_delay: i64,
    /// Bulk batches running at the same time (3).
    pub max_concurrent_batches: i64,
    /// Retry failed operations automatically (default on).
    pub auto_retry_enabled: bool,
    /// Retries after the first try before giving up (5).
    pub max_retry_attempts: i64,
    /// Keep Hacienda's answers (default on).
    pub store_responses: bool,
    /// Days answers are kept (90).
    pub response_retention_days: i64,
    /// Days finished retry-queue entries are kept before cleanup (30).
    pub queue_retention_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_polling_enabled: true,
            polling_interval: 15,
            polling_max_hours: 24,
            polling_batch_size: 50,
            batch_size: 50,
            batch_delay: 5,
            max_concurrent_batches: 3,
            auto_retry_enabled: true,
            max_retry_attempts: 5,
            store_responses: true,
            response_retention_days: 90,
            queue_retention_days: 30,
        }
    }
}

/// One refused setting: the field and a sentence saying what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingProblem {
    /// Field name without the `l10n_cr_` prefix.
    pub field: &'static str,
    /// What is wrong, e.g. "polling interval must be between 1 and 1440 minutes, not 0".
    pub message: String,
}

/// (field, label, unit, min, max) of every numeric setting.
const RANGES: [(&str, &str, &str, i64, i64); 9] = [
    ("polling_interval", "polling interval", "minutes", 1, 1440),
    ("polling_max_hours", "polling max hours", "hours", 1, 720),
    ("polling_batch_size", "polling batch size", "documents", 1, 10_000),
    ("batch_size", "batch size", "documents", 1, 1000),
    ("batch_delay", "batch delay", "seconds", 0, 3600),
    ("max_concurrent_batches", "max concurrent batches", "batches", 1, 50),
    ("max_retry_attempts", "max retry attempts", "retries", 0, 50),
    ("response_retention_days", "response retention", "days", 1, 3650),
    ("queue_retention_days", "queue retention", "days", 1, 3650),
];

impl Settings {
    /// Every field name, without prefix, in declaration order.
    pub const FIELDS: [&'static str; 12] = [
        "auto_polling_enabled",
        "polling_interval",
        "polling_max_hours",
        "polling_batch_size",
        "batch_size",
        "batch_delay",
        "max_concurrent_batches",
        "auto_retry_enabled",
        "max_retry_attempts",
        "store_responses",
        "response_retention_days",
        "queue_retention_days",
    ];

    fn number(&self, field: &str) -> i64 {
        match field {
            "polling_interval" => self.polling_interval,
            "polling_max_hours" => self.polling_max_hours,
            "polling_batch_size" => self.polling_batch_size,
            "batch_size" => self.batch_size,
            "batch_delay" => self.batch_delay,
            "max_concurrent_batches" => self.max_concurrent_batches,
            "max_retry_attempts" => self.max_retry_attempts,
            "response_retention_days" => self.response_retention_days,
            _ => self.queue_retention_days,
        }
    }

    /// Every out-of-range value, in field order; empty when the settings are valid.
    pub fn problems(&self) -> Vec<SettingProblem> {
        RANGES
            .iter()
            .filter_map(|&(field, label, unit, min, max)| {
                let value = self.number(field);
                (value < min || value > max).then(|| SettingProblem {
                    field,
                    message: format!("{label} must be between {min} and {max} {unit}, not {value}"),
                })
            })
            .collect()
    }

    /// `Ok` when valid; otherwise [`Error::InvalidSetting`] for the first problem.
    pub fn validate(&self) -> Result<()> {
        match self.problems().into_iter().next() {
            None => Ok(()),
            Some(p) => Err(Error::InvalidSetting {
                field: p.field.to_string(),
                reason: p.message,
            }),
        }
    }

    /// Builds settings from a JSON object whose keys may carry the `l10n_cr_` prefix (an Odoo
    /// `read()` of the company). Missing keys keep their defaults; unknown keys and wrong types
    /// are refused. Odoo's `False` for an empty integer field is refused too.
    pub fn from_map(values: &Map<String, Value>) -> Result<Self> {
        let mut settings = Settings::default();
        for (key, value) in values {
            let name = key.strip_prefix(FIELD_PREFIX).unwrap_or(key);
            let refuse = |reason: &str| Error::InvalidSetting {
                field: crate::error::excerpt(name),
                reason: reason.to_string(),
            };
            if let Some(slot) = settings.flag_mut(name) {
                *slot = value.as_bool().ok_or_else(|| refuse("must be true or false"))?;
            } else if let Some(slot) = settings.number_mut(name) {
                *slot = value.as_i64().ok_or_else(|| refuse("must be a whole number"))?;
            } else {
                return Err(refuse("unknown setting"));
            }
        }
        Ok(settings)
    }

    fn flag_mut(&mut self, field: &str) -> Option<&mut bool> {
        match field {
            "auto_polling_enabled" => Some(&mut self.auto_polling_enabled),
            "auto_retry_enabled" => Some(&mut self.auto_retry_enabled),
            "store_responses" => Some(&mut self.store_responses),
            _ => None,
        }
    }

    fn number_mut(&mut self, field: &str) -> Option<&mut i64> {
        match field {
            "polling_interval" => Some(&mut self.polling_interval),
            "polling_max_hours" => Some(&mut self.polling_max_hours),
            "polling_batch_size" => Some(&mut self.polling_batch_size),
            "batch_size" => Some(&mut self.batch_size),
            "batch_delay" => Some(&mut self.batch_delay),
            "max_concurrent_batches" => Some(&mut self.max_concurrent_batches),
            "max_retry_attempts" => Some(&mut self.max_retry_attempts),
            "response_retention_days" => Some(&mut self.response_retention_days),
            "queue_retention_days" => Some(&mut self.queue_retention_days),
            _ => None,
        }
    }

    /// The settings as a JSON object, keys with the `l10n_cr_` prefix when `prefixed`.
    pub fn to_map(&self, prefixed: bool) -> Map<String, Value> {
        let Ok(Value::Object(map)) = serde_json::to_value(self) else {
            return Map::new();
        };
        if !prefixed {
            return map;
        }
        map.into_iter()
            .map(|(k, v)| (format!("{FIELD_PREFIX}{k}"), v))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_mirror_the_old_module() {
        let s = Settings::default();
        assert!(s.auto_polling_enabled && s.auto_retry_enabled && s.store_responses);
        assert_eq!(
            (s.polling_interval, s.polling_max_hours, s.polling_batch_size),
            (15, 24, 50)
        );
        assert_eq!((s.batch_size, s.batch_delay, s.max_concurrent_batches), (50, 5, 3));
        assert_eq!((s.max_retry_attempts, s.response_retention_days), (5, 90));
        assert!(s.problems().is_empty());
        s.validate().unwrap();
    }

    #[test]
    fn zero_interval_is_refused_with_a_clear_message() {
        let s = Settings {
            polling_interval: 0,
            batch_size: -3,
            ..Settings::default()
        };
        let problems = s.problems();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].field, "polling_interval");
        assert_eq!(
            problems[0].message,
            "polling interval must be between 1 and 1440 minutes, not 0"
        );
        assert_eq!(problems[1].field, "batch_size");
        let err = s.validate().unwrap_err();
        assert_eq!(err.field(), Some("polling_interval"));
        assert!(err.to_string().contains("between 1 and 1440"), "{err}");
    }

    #[test]
    fn from_map_accepts_prefixed_keys_and_refuses_unknown_ones() {
        let map = json!({"l10n_cr_polling_interval": 5, "batch_delay": 0, "store_responses": false});
        let s = Settings::from_map(map.as_object().unwrap()).unwrap();
        assert_eq!((s.polling_interval, s.batch_delay, s.store_responses), (5, 0, false));
        assert_eq!(s.polling_batch_size, 50);

        let bad = json!({"l10n_cr_polling_intervall": 5});
        let err = Settings::from_map(bad.as_object().unwrap()).unwrap_err();
        assert_eq!(err.field(), Some("polling_intervall"));

        let wrong_type = json!({"l10n_cr_polling_interval": false});
        let err = Settings::from_map(wrong_type.as_object().unwrap()).unwrap_err();
        assert_eq!(err.field(), Some("polling_interval"));
    }

    #[test]
    fn to_map_round_trips_with_and_without_prefix() {
        let s = Settings {
            polling_batch_size: 7,
            ..Settings::default()
        };
        let prefixed = s.to_map(true);
        assert_eq!(prefixed["l10n_cr_polling_batch_size"], json!(7));
        assert_eq!(prefixed.len(), Settings::FIELDS.len());
        assert_eq!(Settings::from_map(&prefixed).unwrap(), s);
        assert_eq!(Settings::from_map(&s.to_map(false)).unwrap(), s);
    }
}
