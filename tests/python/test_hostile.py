"""Hostile input through the binding: only typed errors, nothing crosses FFI as a panic, memory
and time stay bounded (measured in a child process with ru_maxrss)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hacienda_cr as hc

PARSERS = [hc.parse_status, hc.parse_message, hc.read_any, hc.build_submission]


def _only_typed_errors(data: bytes | str) -> None:
    for parse in PARSERS:
        try:
            parse(data)
        except hc.HaciendaError as e:
            assert e.kind and isinstance(e.message, str)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _only_typed_errors(data)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/aM:=\"& #;x-01,[]!\n'")), max_size=300))
def test_xmlish_text(text: str) -> None:
    _only_typed_errors(text)
    _only_typed_errors(f"<MensajeHacienda>{text}</MensajeHacienda>")
    _only_typed_errors(json.dumps({"clave": text, "ind-estado": "rechazado", "respuesta-xml": text}))
    assert isinstance(hc.classify_text(text), hc.Classification)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["http_status", "error_cause", "body", "transport", "text"]), st.text())
)
def test_classify_many_random_records(record: dict[str, str]) -> None:
    try:
        out = hc.classify_many([record])
    except ValueError:
        return  # a record whose types do not fit FailureInput: a clear ValueError
    assert len(out) == 1


def test_truncated_answers_are_parse_errors(own_fixtures: object) -> None:
    from conftest import OWN_FIXTURES

    full = (OWN_FIXTURES / "inputs" / "mh_v44_rechazado_montos.xml").read_bytes()
    for cut in range(0, len(full) - 40, 7):
        try:
            hc.parse_message(full[:cut])
        except hc.ParseError:
            continue
        raise AssertionError(f"prefix of {cut} bytes parsed")


CHILD = Path(__file__).with_name("hostile_child.py")
CASES = json.loads((Path(__file__).resolve().parents[1] / "fixtures/hostile/cases.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_corpus(case: dict[str, Any]) -> None:
    """Each case of the shared corpus: the expected typed outcome, bounded memory and time."""
    proc = subprocess.run(
        [sys.executable, str(CHILD), case["name"]], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, f"{case['name']}: child crashed: {proc.stderr[-2000:]}"
    out = json.loads(proc.stdout)
    mb, ms = out["extra_kb"] / 1024, out["seconds"] * 1000
    print(
        f"hostile {case['name']}: {out['outcome']} ({out['kind']}), peak extra RSS {mb:.1f} MB, {ms:.1f} ms"
    )
    expect = case["expect"]
    if expect == "ok":
        assert out["outcome"] == "ok", out
        assert out["message_error"] == (case.get("message_error") or case.get("submit_state")), out
    elif expect == "any_error":
        assert out["outcome"] == "error" and out["kind"], out
    else:
        assert (out["outcome"], out["kind"]) == ("error", expect), out
    # RSS moves in pages and the allocator keeps arenas: allow 16 MB over the case's bound.
    assert mb < case["max_mb"] + 16, out
    assert out["seconds"] < 5, out
