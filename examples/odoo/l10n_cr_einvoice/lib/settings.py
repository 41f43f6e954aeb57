"""Company settings (``l10n_cr_*`` fields of ``res.company``): defaults and validation by
``hacienda_cr.Settings``."""

from __future__ import annotations

from collections.abc import Mapping

import hacienda_cr as hc

# The res.company fields, in the order the settings page shows them.
FIELDS = (
    "l10n_cr_auto_polling_enabled",
    "l10n_cr_polling_interval",
    "l10n_cr_polling_max_hours",
    "l10n_cr_polling_batch_size",
    "l10n_cr_batch_size",
    "l10n_cr_batch_delay",
    "l10n_cr_max_concurrent_batches",
    "l10n_cr_auto_retry_enabled",
    "l10n_cr_max_retry_attempts",
    "l10n_cr_store_responses",
    "l10n_cr_response_retention_days",
)
DEFAULTS: dict[str, object] = {k: v for k, v in hc.Settings().to_dict(prefixed=True).items() if k in FIELDS}


def from_values(values: Mapping[str, object]):
    """``hacienda_cr.Settings`` from company values (``l10n_cr_`` prefixed or not)."""
    return hc.Settings.from_dict({k: v for k, v in values.items() if v is not None})


def with_defaults(values: Mapping[str, object]) -> dict[str, object]:
    """``values`` completed with the defaults, as prefixed field values."""
    full = from_values(values).to_dict(prefixed=True)
    return {k: v for k, v in full.items() if k in FIELDS}


def validate(values: Mapping[str, object]) -> list[str]:
    """Messages for every invalid value in ``values`` (empty when all are valid)."""
    try:
        settings = from_values(values)
    except (TypeError, ValueError) as e:
        return [str(e)]
    return [message for _field, message in settings.problems()]


def check(values: Mapping[str, object]) -> None:
    """Raise ``hacienda_cr.SettingsError`` (with ``.field``) on the first invalid value."""
    from_values(values).validate()
