//! The IdP (Keycloak) side: the token endpoint (password and refresh grants, per-minute limit,
//! lifetimes in wall-clock seconds on the wire) and logout.

use serde_json::json;

use crate::server::{Answer, Shared, answer, field, form, header_secs, json_answer, wire_secs};
use crate::state::{State, TokenLife, until_next_minute};

/// `POST .../protocol/openid-connect/token`: password and refresh grants.
pub(crate) fn token(shared: &Shared, realm: &str, body: &[u8]) -> Answer {
    let clock = shared.clock;
    let now = clock.now();
    let pairs = form(&String::from_utf8_lossy(body));
    let mut st = shared.lock();
    let limit = st.config.limits.token;
    if st.token.admit(now, limit).is_none() {
        st.stats.rate_limited += 1;
        let wait = header_secs(&clock, until_next_minute(now));
        return json_answer(429, &[("retry-after", wait)], &json!({"error": "too_many_requests"}));
    }
    let expected_client = if realm == "rut" { "api-prod" } else { "api-stag" };
    if !matches!(realm, "rut" | "rut-stag") {
        return json_answer(404, &[], &json!({"error": "Realm does not exist"}));
    }
    if field(&pairs, "client_id") != Some(expected_client) {
        st.stats.token_refused += 1;
        return json_answer(
            401,
            &[],
            &json!({"error": "invalid_client", "error_description": "Invalid client credentials"}),
        );
    }
    let refused = |st: &mut State, description: &str| {
        st.stats.token_refused += 1;
        json_answer(
            400,
            &[],
            &json!({"error": "invalid_grant", "error_description": description}),
        )
    };
    match field(&pairs, "grant_type") {
        Some("password") => {
            let ok = field(&pairs, "username") == Some(st.config.username.as_str())
                && field(&pairs, "password") == Some(st.config.password.as_str());
            if !ok {
                st.stats.token_refused += 1;
                return json_answer(
                    401,
                    &[],
                    &json!({"error": "invalid_grant", "error_description": "Invalid user credentials"}),
                );
            }
            st.stats.logins += 1;
        }
        Some("refresh_token") => {
            let given = field(&pairs, "refresh_token").unwrap_or("");
            match st.refresh.get(given) {
                Some(life) if now < life.until => {
                    st.refresh.remove(given);
                    st.stats.refreshes += 1;
                }
                _ => return refused(&mut st, "Token is not active"),
            }
        }
        _ => {
            return json_answer(
                400,
                &[],
                &json!({"error": "unsupported_grant_type", "error_description": "Unsupported grant type"}),
            );
        }
    }
    let access = st.token_text("sim-at");
    let refresh = st.token_text("sim-rt");
    let (ttl, rttl) = (st.config.token_ttl_secs, st.config.refresh_ttl_secs);
    st.access.insert(access.clone(), TokenLife { until: now + ttl });
    st.refresh.insert(refresh.clone(), TokenLife { until: now + rttl });
    let (expires_in, refresh_expires_in) = (wire_secs(&clock, ttl), wire_secs(&clock, rttl));
    json_answer(
        200,
        &[],
        &json!({
            "access_token": access,
            "expires_in": expires_in,
            "refresh_expires_in": refresh_expires_in,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        }),
    )
}

/// `POST .../protocol/openid-connect/logout`.
pub(crate) fn logout(shared: &Shared, body: &[u8]) -> Answer {
    let pairs = form(&String::from_utf8_lossy(body));
    let mut st = shared.lock();
    if let Some(r) = field(&pairs, "refresh_token") {
        st.refresh.remove(r);
    }
    st.stats.logouts += 1;
    answer(204, &[], "")
}
