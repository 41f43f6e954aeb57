//! The scheduling planners with arbitrary host records (what a corrupted or hand-edited Odoo
//! table could hold): no panic, and the planners' promises hold for any input.
#![no_main]

use chrono::{DateTime, TimeDelta, Utc};
use hacienda_core as hc;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const STATES: [Option<hc::IndEstado>; 6] = [
    None,
    Some(hc::IndEstado::Recibido),
    Some(hc::IndEstado::Procesando),
    Some(hc::IndEstado::Aceptado),
    Some(hc::IndEstado::Rechazado),
    Some(hc::IndEstado::Error),
];
const QUEUE_STATES: [hc::QueueState; 5] = [
    hc::QueueState::Pending,
    hc::QueueState::Processing,
    hc::QueueState::Done,
    hc::QueueState::Failed,
    hc::QueueState::Cancelled,
];

/// Any instant chrono can hold, biased towards a few days around `now`.
fn instant(u: &mut Unstructured<'_>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    Ok(if u.ratio(1, 8)? {
        DateTime::from_timestamp(u.int_in_range(-8_000_000_000_000..=8_000_000_000_000)?, 0).unwrap_or(now)
    } else {
        now + TimeDelta::seconds(u.int_in_range(-400_000..=400_000)?)
    })
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let now = DateTime::from_timestamp(u.int_in_range(0..=4_000_000_000)?, 0).unwrap_or_default();
    let mut settings = hc::Settings::default();
    settings.polling_batch_size = u.int_in_range(0..=60)?;
    settings.polling_interval = u.int_in_range(0..=100)?;
    settings.polling_max_hours = u.int_in_range(0..=48)?;
    settings.batch_size = u.int_in_range(0..=60)?;
    settings.max_concurrent_batches = u.int_in_range(0..=5)?;

    let n = u.int_in_range(0..=300)?;
    let mut docs = Vec::with_capacity(n);
    let mut rows = Vec::with_capacity(n);
    let mut board = Vec::with_capacity(n);
    for id in 0..n as i64 {
        let submitted_at = instant(u, now)?;
        let last = if u.arbitrary()? { Some(instant(u, now)?) } else { None };
        let state = *u.choose(&STATES)?;
        docs.push(hc::PollDocument { id, submitted_at, state, poll_count: u.arbitrary()?, last_polled_at: last });
        rows.push(hc::QueueRow {
            id,
            state: *u.choose(&QUEUE_STATES)?,
            priority: u.arbitrary()?,
            next_attempt_at: last,
            category: None,
            operation: None,
            created_at: Some(submitted_at),
            updated_at: last,
        });
        board.push(hc::DashboardDocument { state, submitted_at: Some(submitted_at), answered_at: last });
    }

    if let Ok(plan) = hc::plan_polls(&docs, now, &settings) {
        assert!(plan.batch.len() <= settings.polling_batch_size as usize);
        for id in &plan.batch {
            let d = &docs[*id as usize];
            assert!(d.state.is_none_or(|s| !s.is_final()), "a final document is never polled");
            assert!(!plan.expired.contains(id), "an expired document is not polled");
        }
    }
    let limit = u.int_in_range(0..=100)?;
    let due = hc::select_due(&rows, now, limit);
    assert!(due.ids.len() <= limit);
    for id in &due.ids {
        assert_eq!(rows[*id as usize].state, hc::QueueState::Pending);
    }
    let _ = hc::cleanup_candidates(&rows, now, u.int_in_range(0..=400)?);
    let _ = hc::queue_statistics(&rows, now);
    let dash = hc::dashboard(&board, now, n);
    assert_eq!(dash.total, n);
    if let Some(rate) = dash.acceptance_rate {
        assert!((0.0..=1.0).contains(&rate));
    }
    let ids: Vec<i64> = (0..n as i64).collect();
    let mut state = hc::RateState::default();
    let limits = hc::RateLimits::default();
    let _ = limits.admit(&mut state, hc::RequestKind::Post, now, u.int_in_range(0..=500)?);
    if let Ok(plan) = hc::plan_bulk(&ids, hc::Operation::Submit, now, &settings, Some((&limits, state))) {
        let planned: usize = plan.batches.iter().map(|b| b.ids.len()).sum();
        assert_eq!(planned, n, "every id is planned once");
    }
    let policy = hc::RetryPolicy::default();
    let first = instant(u, now)?;
    let sample: f64 = f64::from(u.int_in_range(0u32..=999_999)?) / 1e6;
    let category = *u.choose(&hc::ErrorCategory::ALL)?;
    let _ = policy.plan(category, u.int_in_range(0..=60)?, first, now, sample, Some(instant(u, now)?));
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
