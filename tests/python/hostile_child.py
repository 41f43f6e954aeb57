"""Child process of test_hostile.py: runs one case of tests/fixtures/hostile/cases.json.

``python hostile_child.py CASE`` builds the input from its recipe, runs it through the case's
entry point and prints one JSON line: outcome, error kind, peak extra RSS (ru_maxrss after the
input was built vs. after the call) and time. A separate process keeps ru_maxrss meaningful and
turns a crash into a visible non-zero exit instead of a dead test runner.
"""

from __future__ import annotations

import base64
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import hacienda_cr as hc

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "cases.json"


def load_cases() -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in json.loads(CASES.read_text(encoding="utf-8"))["cases"]}


def build(case: dict[str, Any]) -> bytes:
    """The bytes of a recipe (see tests/fixtures/hostile/README.md)."""
    chunks: list[bytes] = []
    for part in case["parts"]:
        if "hex" in part:
            chunks.append(bytes.fromhex(part["hex"]))
        elif "pattern" in part:
            chunks.append(
                "".join(part["pattern"].replace("{i}", str(i)) for i in range(part["count"])).encode()
            )
        else:
            chunks.append(part["text"].encode() * part.get("repeat", 1))
    data = b"".join(chunks)
    if case.get("encode") == "utf-16le-bom":
        data = b"\xff\xfe" + data.decode().encode("utf-16-le")
    wrap = case.get("wrap")
    if wrap == "base64":
        data = base64.b64encode(data)
    elif wrap == "status":
        answer = base64.b64encode(data).decode()
        clave = "50601011900310123456700100001010000000001100000001"
        data = json.dumps({"clave": clave, "ind-estado": "rechazado", "respuesta-xml": answer}).encode()
    return data


def run(entry: str, data: bytes) -> tuple[str, str | None, str | None]:
    """(outcome "ok" or "error", error kind, detail: the kind of the error inside an ok status
    report, or the state of a submit outcome)."""
    try:
        if entry == "status":
            report = hc.parse_status(data)
            inner = report.message_error.kind if report.message_error is not None else None
            return "ok", None, inner
        if entry == "message":
            hc.parse_message(data)
        elif entry == "any":
            hc.read_any(data)
        elif entry == "submit_headers":
            value = data.decode()
            outcome = hc.read_submit_response(400, {"X-Error-Cause": value, "Location": value}, b"")
            assert len(outcome.error_cause or "") <= 64 * 1024, "header value kept whole"
            return "ok", None, str(outcome.state)
        else:
            raise SystemExit(f"unknown entry point {entry}")
    except hc.HaciendaError as e:
        return "error", e.kind, None
    return "ok", None, None


def main() -> None:
    case = load_cases()[sys.argv[1]]
    data = build(case)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome, kind, inner = run(case["entry"], data)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {"case": case["name"], "outcome": outcome, "kind": kind, "message_error": inner}
    print(json.dumps({**result, "extra_kb": after - before, "seconds": elapsed, "input_bytes": len(data)}))


if __name__ == "__main__":
    main()
