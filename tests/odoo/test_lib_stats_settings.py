"""Dashboard/response statistics and company settings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from l10n_cr_einvoice.lib import settings, stats

import hacienda_cr as hc

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)


def _doc(state, sub_min_ago=None, answer_after_s=None, ind=None):
    sub = NOW - timedelta(minutes=sub_min_ago) if sub_min_ago is not None else None
    ans = sub + timedelta(seconds=answer_after_s) if sub and answer_after_s is not None else None
    return {"state": state, "ind_estado": ind, "submitted_at": sub, "answered_at": ans}


def test_dashboard_figures():
    docs = [
        _doc("accepted", 60, 10),
        _doc("accepted", 60 * 30, 20),  # submitted and answered yesterday (Costa Rica day)
        _doc("accepted", 60, 30),
        _doc("rejected", 60, 100),
        _doc("submitted", 5, ind="procesando"),
        _doc("signed"),
        _doc("generated"),
    ]
    d = stats.dashboard(docs, now=NOW, retry_queue_size=4)
    assert d["total"] == 7
    assert d["by_ind_estado"] == {
        "not_submitted": 2,
        "recibido": 0,
        "procesando": 1,
        "aceptado": 3,
        "rechazado": 1,
        "error": 0,
    }
    assert d["acceptance_rate"] == 75.0
    assert d["avg_answer_seconds"] == 40.0
    assert d["p95_answer_seconds"] == 100.0
    assert d["today"] == {"submitted": 4, "accepted": 2, "rejected": 1}
    assert d["pending_submissions"] == 2 and d["awaiting_answer"] == 1
    assert d["retry_queue_size"] == 4


def test_dashboard_empty():
    d = stats.dashboard([], now=NOW)
    assert d["acceptance_rate"] is None and d["avg_answer_seconds"] is None and d["total"] == 0


def test_response_statistics_top_codes():
    rows = [
        {"message_kind": "mensaje_hacienda", "mensaje": "rejected", "error_codes": "-45,-54"},
        {"message_kind": "mensaje_hacienda", "mensaje": "rejected", "error_codes": "-54"},
        {"message_kind": False, "mensaje": False, "error_codes": False},
    ]
    r = stats.responses(rows)
    assert r["total"] == 3
    assert r["by_kind"] == {"mensaje_hacienda": 2, "unknown": 1}
    assert r["by_result"] == {"rejected": 2, "unknown": 1}
    assert r["top_error_codes"][0] == {"code": -54, "count": 2}
    assert {"code": -45, "count": 1} in r["top_error_codes"]


def test_settings_defaults_are_the_specified_ones():
    assert settings.DEFAULTS == {
        "l10n_cr_auto_polling_enabled": True,
        "l10n_cr_polling_interval": 15,
        "l10n_cr_polling_max_hours": 24,
        "l10n_cr_polling_batch_size": 50,
        "l10n_cr_batch_size": 50,
        "l10n_cr_batch_delay": 5,
        "l10n_cr_max_concurrent_batches": 3,
        "l10n_cr_auto_retry_enabled": True,
        "l10n_cr_max_retry_attempts": 5,
        "l10n_cr_store_responses": True,
        "l10n_cr_response_retention_days": 90,
    }
    assert settings.validate(settings.DEFAULTS) == []


def test_settings_validation_messages():
    problems = settings.validate({"l10n_cr_polling_interval": 0})
    assert len(problems) == 1 and "interval" in problems[0]
    with pytest.raises(hc.SettingsError) as err:
        settings.check({"l10n_cr_polling_interval": 0})
    assert err.value.field == "polling_interval"
    assert settings.validate({"l10n_cr_batch_size": 5000})
    assert (
        settings.with_defaults({"l10n_cr_batch_size": 10, "l10n_cr_batch_delay": None})["l10n_cr_batch_delay"]
        == 5
    )
