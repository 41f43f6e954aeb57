"""pytest setup for the Odoo addon's plain-Python helpers (no Odoo needed).

The addon package's ``__init__`` imports Odoo; the helpers in ``l10n_cr_einvoice/lib`` do not.
A namespace stand-in for ``l10n_cr_einvoice`` lets ``l10n_cr_einvoice.lib.*`` import alone.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ROOT / "examples" / "odoo"
ADDON = ADDONS / "l10n_cr_einvoice"
INPUTS = ROOT / "tests" / "fixtures" / "inputs"

if "l10n_cr_einvoice" not in sys.modules:
    _pkg = types.ModuleType("l10n_cr_einvoice")
    _pkg.__path__ = [str(ADDON)]
    sys.modules["l10n_cr_einvoice"] = _pkg


@pytest.fixture
def read_input():
    """Bytes of one of the repository's own vectors in tests/fixtures/inputs."""

    def _read(name: str) -> bytes:
        return (INPUTS / name).read_bytes()

    return _read
