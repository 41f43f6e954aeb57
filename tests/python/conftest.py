"""Shared pytest fixtures: where the vectors and the real public samples are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OWN_FIXTURES = REPO / "tests" / "fixtures"


def _find_shared() -> Path | None:
    env = os.environ.get("HACIENDA_FIXTURES")
    if env and Path(env).is_dir():
        return Path(env)
    for parent in [REPO, *REPO.parents]:
        candidate = parent / "shared" / "fixtures" / "hacienda"
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def own_fixtures() -> Path:
    return OWN_FIXTURES


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    """``../shared/fixtures/hacienda``; skipped with a reason when absent, failed under CI."""
    found = _find_shared()
    if found is None:
        if os.environ.get("HACIENDA_REQUIRE_FIXTURES") == "1":
            pytest.fail("../shared/fixtures/hacienda is required (HACIENDA_REQUIRE_FIXTURES=1) but absent")
        pytest.skip("../shared/fixtures/hacienda not found (set HACIENDA_FIXTURES)")
    return found


def assert_subset(expected: object, actual: object, path: str = "$") -> None:
    """Every key of ``expected`` matches in ``actual``; lists have the same length."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key}: missing in {actual!r}"
            assert_subset(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), f"{path}: length {len(actual)} != {len(expected)}: {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_subset(e, a, f"{path}[{i}]")
    else:
        assert expected == actual, f"{path}: {actual!r} != {expected!r}"
