"""The shared vectors of tests/fixtures/cases.json, through the Python binding.

The Rust suite (tests/rust/vectors.rs) runs the same file against the core, so the two faces of
the library are held to one expected output (``to_dict()`` has the serde shape).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import hacienda_cr as hc
from conftest import OWN_FIXTURES, assert_subset

CASES: list[dict[str, Any]] = json.loads((OWN_FIXTURES / "cases.json").read_text(encoding="utf-8"))["cases"]


def _input(case: dict[str, Any]) -> bytes:
    if "input_file" in case:
        return (Path(OWN_FIXTURES) / "inputs" / case["input_file"]).read_bytes()
    value = case["input"]
    assert isinstance(value, str)
    return value.encode("utf-8")


def _run(case: dict[str, Any]) -> Any:
    op = case["op"]
    inp = case.get("input")
    try:
        if op == "parse_status":
            return hc.parse_status(_input(case)).to_dict()
        if op == "parse_message":
            return hc.parse_message(_input(case)).to_dict()
        if op == "classify_http":
            c = hc.classify_http(inp["status"], inp["error_cause"], inp["body"])
            return None if c is None else c.to_dict()
        if op == "classify_text":
            return hc.classify_text(inp).to_dict()
        if op == "read_submit_response":
            headers = [tuple(h) for h in inp["headers"]]
            return hc.read_submit_response(inp["status"], headers, inp["body"].encode()).to_dict()
        if op == "build_submission":
            return hc.build_submission(_input(case), **case.get("options", {})).to_dict()
        if op == "parse_clave":
            return hc.parse_clave(inp).to_dict()
    except hc.HaciendaError as e:
        return {"error": {"kind": e.kind, "field": e.field, "message": e.message}}
    raise AssertionError(f"unknown op {op}")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    assert_subset(case["expected"], _run(case))


def test_vector_set_is_complete() -> None:
    ops = {c["op"] for c in CASES}
    assert ops == {
        "parse_status",
        "parse_message",
        "classify_http",
        "classify_text",
        "read_submit_response",
        "build_submission",
        "parse_clave",
    }
    assert len(CASES) >= 30
