//! Runs the shared schedule vectors of `tests/fixtures/schedule/*.json` against the core (the
//! Python suite runs the same files against the binding).

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use hacienda_core::backoff::RetryPolicy;
use hacienda_core::breaker::{BreakerConfig, BreakerStore};
use hacienda_core::queue::{QueueEntry, QueueRow};
use hacienda_core::rate::{RateLimits, RateState, RequestKind};
use hacienda_core::settings::Settings;
use hacienda_core::stats::{DashboardDocument, ResponseRecord};
use hacienda_core::{self as hc, ErrorCategory, Operation};
use serde_json::{Map, Value, json};

fn load(name: &str) -> Value {
    let path = common::own_fixtures().join("schedule").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

fn time(v: &Value) -> DateTime<Utc> {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn opt_time(v: &Value) -> Option<DateTime<Utc>> {
    (!v.is_null()).then(|| time(v))
}

/// `base + seconds` for the sequence files.
fn offset(base: DateTime<Utc>, secs: &Value) -> DateTime<Utc> {
    base + TimeDelta::milliseconds((secs.as_f64().expect("seconds") * 1000.0).round() as i64)
}

fn merged<T: serde::Serialize + serde::de::DeserializeOwned>(default: T, overrides: &Value) -> T {
    let mut base = serde_json::to_value(default).expect("serializable");
    for (k, v) in overrides.as_object().expect("object") {
        if k == "multipliers" {
            for (c, m) in v.as_object().expect("object") {
                base[k][c] = m.clone();
            }
        } else {
            base[k] = v.clone();
        }
    }
    serde_json::from_value(base).expect("valid overrides")
}

fn settings(overrides: &Value) -> Settings {
    Settings::from_map(overrides.as_object().expect("object")).expect("valid settings")
}

fn category(v: &Value) -> ErrorCategory {
    ErrorCategory::parse(v.as_str().expect("category")).expect("known category")
}

#[test]
fn retry_vectors() {
    let file = load("retry.json");
    for case in file["cases"].as_array().expect("cases") {
        let name = &case["name"];
        let policy: RetryPolicy = merged(RetryPolicy::default(), &case["policy"]);
        let d = policy
            .plan(
                category(&case["category"]),
                case["attempts"].as_u64().expect("attempts") as u32,
                time(&case["first_failure_at"]),
                time(&case["now"]),
                case["sample"].as_f64().expect("sample"),
                opt_time(&case["retry_after"]),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = serde_json::to_value(d).expect("serializable");
        let want = &case["expected"];
        assert_eq!(got["action"], want["action"], "{name}");
        if want["action"] == "retry" {
            assert_eq!(time(&got["at"]), time(&want["at"]), "{name}");
            assert_eq!(got["delay"], want["delay"], "{name}");
            assert_eq!(got["from_retry_after"], want["from_retry_after"], "{name}");
        } else {
            assert_eq!(got["reason"], want["reason"], "{name}");
        }
    }
}

fn check_fields(name: &str, got: &Value, want: &Value) {
    for (k, v) in want.as_object().expect("object") {
        if k.ends_with("_at") && !v.is_null() {
            assert_eq!(opt_time(&got[k]), opt_time(v), "{name}: {k}");
        } else {
            assert_eq!(&got[k], v, "{name}: {k} in {got}");
        }
    }
}

#[test]
fn queue_vectors() {
    let file = load("queue.json");
    for scenario in file["scenarios"].as_array().expect("scenarios") {
        let policy: RetryPolicy = merged(RetryPolicy::default(), &scenario["policy"]);
        let mut entry: QueueEntry = serde_json::from_value(scenario["entry"].clone()).expect("entry");
        for (i, step) in scenario["steps"].as_array().expect("steps").iter().enumerate() {
            let name = format!("{} step {i}", scenario["name"]);
            let now = time(&step["now"]);
            let outcome = match step["op"].as_str().expect("op") {
                "failure" => entry
                    .on_failure(
                        &policy,
                        category(&step["category"]),
                        now,
                        step["sample"].as_f64().unwrap_or(0.0),
                        opt_time(&step["retry_after"]),
                        step["error"].as_str(),
                    )
                    .map(|t| {
                        let mut v = serde_json::to_value(&t.entry).expect("serializable");
                        v["notify"] = json!(t.notify);
                        v["reason"] = serde_json::to_value(t.decision).expect("serializable")["reason"].clone();
                        (t.entry, v)
                    }),
                op => match op {
                    "success" => entry.on_success(now),
                    "retry_now" => entry.retry_now(now),
                    "cancel" => entry.cancel(now),
                    other => panic!("unknown op {other}"),
                }
                .map(|e| (e.clone(), serde_json::to_value(&e).expect("serializable"))),
            };
            match outcome {
                Ok((next, got)) => {
                    assert!(step["expected"]["refused"].is_null(), "{name}: should be refused");
                    check_fields(&name, &got, &step["expected"]);
                    entry = next;
                }
                Err(e) => assert_eq!(step["expected"]["refused"], json!(true), "{name}: {e}"),
            }
        }
    }
    for case in file["select_due"].as_array().expect("select_due") {
        let rows: Vec<QueueRow> = serde_json::from_value(case["rows"].clone()).expect("rows");
        for l in case["limits"].as_array().expect("limits") {
            let got = hc::select_due(&rows, time(&case["now"]), l["limit"].as_u64().expect("limit") as usize);
            assert_eq!(json!(got.ids), l["ids"], "limit {}", l["limit"]);
            assert_eq!(json!(got.more), l["more"], "limit {}", l["limit"]);
        }
    }
    for case in file["cleanup"].as_array().expect("cleanup") {
        let rows: Vec<QueueRow> = serde_json::from_value(case["rows"].clone()).expect("rows");
        let got = hc::cleanup_candidates(&rows, time(&case["now"]), case["days"].as_u64().expect("days") as u32);
        assert_eq!(json!(got), case["ids"], "{}", case["name"]);
    }
    for case in file["statistics"].as_array().expect("statistics") {
        let rows: Vec<QueueRow> = serde_json::from_value(case["rows"].clone()).expect("rows");
        let got = serde_json::to_value(hc::queue_statistics(&rows, time(&case["now"]))).expect("serializable");
        check_fields("queue statistics", &got, &case["expected"]);
    }
}

fn poll_plan(docs: &Value, now: &Value, overrides: &Value) -> Value {
    let docs: Vec<hc::PollDocument> = serde_json::from_value(docs.clone()).expect("documents");
    let plan = hc::plan_polls(&docs, time(now), &settings(overrides)).expect("plan");
    serde_json::to_value(plan).expect("serializable")
}

#[test]
fn polling_vectors() {
    let file = load("polling.json");
    for case in file["cases"].as_array().expect("cases") {
        let got = poll_plan(&file["documents"], &case["now"], &case["settings"]);
        check_fields(case["name"].as_str().unwrap_or("?"), &got, &case["expected"]);
    }
    let ties = &file["ties"];
    let got = poll_plan(&ties["documents"], &ties["now"], &ties["settings"]);
    check_fields("ties", &got, &ties["expected"]);
    for case in file["next_poll_at"].as_array().expect("next_poll_at") {
        let got = hc::next_poll_at(
            time(&case["submitted_at"]),
            case["poll_count"].as_u64().expect("count") as u32,
            opt_time(&case["last_polled_at"]),
            &settings(&case["settings"]),
        )
        .expect("valid");
        assert_eq!(got, time(&case["expected"]), "{case}");
    }
}

/// Records `count` events of `kind` (`post`, `get`, `token` or `auth_failure`) at `at`.
fn seed(state: &mut RateState, kind: &str, count: usize, at: DateTime<Utc>) {
    let ms = vec![at.timestamp_millis(); count];
    match kind {
        "auth_failure" => state.auth_failures.extend(ms),
        other => {
            state.requests.extend(ms.iter().copied());
            match RequestKind::parse(other).expect("kind") {
                RequestKind::Post => state.post.extend(ms),
                RequestKind::Get => state.get.extend(ms),
                RequestKind::Token => state.token.extend(ms),
            }
        }
    }
}

#[test]
fn bulk_vectors() {
    let file = load("bulk.json");
    let base = time(&file["base"]);
    let limits = RateLimits::default();
    for case in file["cases"].as_array().expect("cases") {
        let name = &case["name"];
        let ids: Vec<i64> = (1..=case["count"].as_i64().expect("count")).collect();
        let operation = Operation::parse(case["operation"].as_str().expect("op")).expect("operation");
        let s = Settings::from_map(case["settings"].as_object().expect("settings")).expect("typed settings");
        let mut state = RateState::default();
        for e in case["rate_events"].as_array().into_iter().flatten() {
            let at = offset(base, &e["at"]);
            seed(
                &mut state,
                e["kind"].as_str().expect("kind"),
                e["count"].as_u64().expect("n") as usize,
                at,
            );
        }
        let limiter = (case["limiter"] == json!(true)).then_some((&limits, state));
        let want = &case["expected"];
        match hc::plan_bulk(&ids, operation, base, &s, limiter) {
            Ok(plan) => {
                let sizes: Vec<usize> = plan.batches.iter().map(|b| b.ids.len()).collect();
                let waves: Vec<usize> = plan.batches.iter().map(|b| b.wave).collect();
                let starts: Vec<i64> = plan.batches.iter().map(|b| (b.start_at - base).num_seconds()).collect();
                assert_eq!(json!(sizes), want["sizes"], "{name}");
                assert_eq!(json!(waves), want["waves"], "{name}");
                assert_eq!(json!(starts), want["starts"], "{name}");
                assert_eq!(json!((plan.finish_at - base).num_seconds()), want["finish"], "{name}");
                let all: Vec<i64> = plan.batches.iter().flat_map(|b| b.ids.iter().copied()).collect();
                assert_eq!(all, ids, "{name}: every id once, in order");
            }
            Err(e) => assert_eq!(json!(e.field()), want["error_field"], "{name}: {e}"),
        }
    }
}

#[test]
fn rate_vectors() {
    let file = load("rate.json");
    let base = time(&file["base"]);
    for seq in file["sequences"].as_array().expect("sequences") {
        let limits: RateLimits = merged(RateLimits::default(), &seq["limits"]);
        let mut state = RateState::default();
        for (i, call) in seq["calls"].as_array().expect("calls").iter().enumerate() {
            let name = format!("{} call {i}", seq["name"]);
            let at = offset(base, &call["at"]);
            let d = match call["call"].as_str().expect("call") {
                "admit" => {
                    let kind = RequestKind::parse(call["kind"].as_str().expect("kind")).expect("kind");
                    let count = call["count"].as_u64().expect("count") as u32;
                    limits.admit(&mut state, kind, at, count)
                }
                _ => limits.record_auth_failure(&mut state, at),
            }
            .expect("valid limits");
            let want = &call["expected"];
            assert_eq!(json!(d.admitted), want["admitted"], "{name}");
            assert_eq!(json!(d.limited_by), want["limited_by"], "{name}");
            let retry = d.retry_at.map(|t| (t - base).num_milliseconds() as f64 / 1000.0);
            assert_eq!(json!(retry), json!(want["retry_at"].as_f64()), "{name}");
            // The stored state survives a JSON round trip unchanged.
            let stored = serde_json::to_value(&state).expect("serializable");
            assert_eq!(serde_json::from_value::<RateState>(stored).expect("round trip"), state);
        }
    }
}

#[test]
fn breaker_vectors() {
    let file = load("breaker.json");
    let base = time(&file["base"]);
    for seq in file["sequences"].as_array().expect("sequences") {
        let config: BreakerConfig = merged(BreakerConfig::default(), &seq["config"]);
        let mut store = BreakerStore::default();
        for (i, call) in seq["calls"].as_array().expect("calls").iter().enumerate() {
            let name = format!("{} call {i}", seq["name"]);
            let at = offset(base, &call["at"]);
            let d = match call["call"].as_str().expect("call") {
                "allow" => config.allow(&mut store, at),
                "success" => config.on_success(&mut store, at),
                _ => config.on_failure(&mut store, at, category(&call["category"])),
            }
            .expect("valid config");
            let want = &call["expected"];
            assert_eq!(json!(d.allowed), want["allowed"], "{name}");
            assert_eq!(json!(d.state), want["state"], "{name}");
            assert_eq!(json!(d.changed), want["changed"], "{name}");
            let retry = d.retry_at.map(|t| (t - base).num_seconds());
            assert_eq!(json!(retry), want["retry_at"], "{name}");
        }
    }
}

#[test]
fn stats_vectors() {
    let file = load("stats.json");
    for key in ["dashboard", "dashboard_empty"] {
        let case = &file[key];
        let docs: Vec<DashboardDocument> = serde_json::from_value(case["documents"].clone()).expect("documents");
        let size = case["retry_queue_size"].as_u64().expect("size") as usize;
        let got = serde_json::to_value(hc::dashboard(&docs, time(&case["now"]), size)).expect("serializable");
        assert_eq!(got, case["expected"], "{key}");
    }
    let r = &file["responses"];
    let records: Vec<ResponseRecord> = serde_json::from_value(r["records"].clone()).expect("records");
    let got = hc::response_statistics(&records, r["top"].as_u64().expect("top") as usize);
    assert_eq!(serde_json::to_value(got).expect("serializable"), r["expected"]);
}

#[test]
fn settings_vectors() {
    let file = load("settings.json");
    for case in file["cases"].as_array().expect("cases") {
        let name = &case["name"];
        let want = &case["expected"];
        match Settings::from_map(case["input"].as_object().expect("object")) {
            Ok(s) => {
                let problems: Vec<Value> = s.problems().into_iter().map(|p| json!([p.field, p.message])).collect();
                assert_eq!(json!(problems), want["problems"], "{name}");
                let values: Map<String, Value> = s.to_map(false);
                for (k, v) in want["values"].as_object().into_iter().flatten() {
                    assert_eq!(&values[k], v, "{name}: {k}");
                }
                assert_eq!(s.validate().is_ok(), problems.is_empty(), "{name}");
            }
            Err(e) => assert_eq!(json!(e.field()), want["error_field"], "{name}: {e}"),
        }
    }
}
