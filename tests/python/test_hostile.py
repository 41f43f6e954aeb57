"""Hostile input through the binding: only typed errors, nothing crosses FFI as a panic, memory
and time stay bounded (measured in a child process with ru_maxrss)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


EXPECTED = {
    "nesting_50mb": ("InputTooLargeError", "too_large"),
    "nesting_10mb": ("InputTooLargeError", "too_complex"),
    "billion_laughs": ("UnsafeXmlError", "dtd"),
    "external_entity": ("UnsafeXmlError", "dtd"),
    "element_flood": ("InputTooLargeError", "too_complex"),
    "json_1e6_keys": ("StatusReport", None),
    "invalid_base64": ("ParseError", "base64"),
    "non_utf8": ("ParseError", "encoding"),
    "huge_text_100mb": ("InputTooLargeError", "too_large"),
}
CHILD = Path(__file__).with_name("hostile_child.py")


def test_hostile_corpus_memory_and_time_are_bounded() -> None:
    for case, (result, kind) in EXPECTED.items():
        proc = subprocess.run([sys.executable, str(CHILD), case], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"{case}: child crashed: {proc.stderr[-2000:]}"
        out = json.loads(proc.stdout)
        mb, ms = out["extra_kb"] / 1024, out["seconds"] * 1000
        print(f"hostile {case}: {out['result']} ({out['kind']}), peak extra RSS {mb:.1f} MB, {ms:.1f} ms")
        assert (out["result"], out["kind"]) == (result, kind), out
        assert out["extra_kb"] < 80 * 1024, out
        assert out["seconds"] < 5, out
