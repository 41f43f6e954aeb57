"""Company settings (``l10n_cr_*`` fields of ``res.company``): defaults and validation."""

from __future__ import annotations

from collections.abc import Mapping

import hacienda_cr as hc

DEFAULTS: dict[str, object] = {
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

# field -> (minimum, maximum, what it is)
_BOUNDS: dict[str, tuple[int, int, str]] = {
    "l10n_cr_polling_interval": (1, 1440, "The polling interval (minutes)"),
    "l10n_cr_polling_max_hours": (1, 720, "The maximum polling time (hours)"),
    "l10n_cr_polling_batch_size": (1, 1000, "The polling batch size"),
    "l10n_cr_batch_size": (1, 1000, "The bulk batch size"),
    "l10n_cr_batch_delay": (0, 3600, "The delay between batches (seconds)"),
    "l10n_cr_max_concurrent_batches": (1, 20, "The number of concurrent batches"),
    "l10n_cr_max_retry_attempts": (1, 20, "The maximum number of retry attempts"),
    "l10n_cr_response_retention_days": (1, 3650, "The response retention (days)"),
}


def with_defaults(values: Mapping[str, object]) -> dict[str, object]:
    """``values`` completed with the defaults (unknown keys are kept as they are)."""
    return {**DEFAULTS, **{k: v for k, v in values.items() if v is not None}}


def validate(values: Mapping[str, object]) -> list[str]:
    """Messages for every invalid value in ``values`` (empty when all are valid)."""
    problems = []
    for name, (low, high, label) in _BOUNDS.items():
        if name not in values:
            continue
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{label} must be a whole number.")
        elif not low <= value <= high:
            problems.append(f"{label} must be between {low} and {high} (got {value}).")
    return problems


def check(values: Mapping[str, object]) -> None:
    """Raise ``hacienda_cr.SettingsError`` listing every invalid value."""
    problems = validate(values)
    if problems:
        raise hc.SettingsError(" ".join(problems), kind="settings")
