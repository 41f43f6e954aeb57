"""Per-document time to parse a status JSON with its embedded answer and classify it.

hacienda_cr's batch API (``parse_status_many``, then reading state, codes and category of each
report) against a straightforward Python implementation of the same job with ``json``,
``base64``, ``lxml`` and ``re`` — what integrators write today. Both run in this process on the
same bodies; the numbers are printed side by side, plus one machine-readable ``BENCH`` line per
figure (collected by ``make bench``).

Run: ``python benches/bench_status_parse.py [--docs N] [--rounds R]``
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import statistics
from pathlib import Path
from typing import Any

from lxml import etree
from timing import best_of

import hacienda_cr as hc

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "tests" / "fixtures" / "inputs"

# ----------------------------------------------------------------------------- the baseline

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_LINE = re.compile(r"(-?\d+),\s*\"(.*?)\",\s*(-?\d+),\s*(-?\d+)", re.DOTALL)
_AMOUNT_CODES = {-45, -51, -54, -55}
_WARNINGS = {-16, -37}


def _text(root: Any, name: str) -> str | None:
    el = root.find(f"{{*}}{name}")
    if el is None or el.text is None:
        return None
    value: str = el.text.strip()
    return value or None


def baseline_parse_and_classify(body: bytes) -> tuple[str, list[int], str | None]:
    """What a careful integrator writes in Python: state, codes, category."""
    data = json.loads(body)
    keys = {k.lower().replace("-", "").replace("_", ""): v for k, v in data.items()}
    state = str(keys.get("indestado") or "").lower()
    answer = keys.get("respuestaxml")
    codes: list[int] = []
    category: str | None = None
    if answer:
        root = etree.fromstring(base64.b64decode(answer), _PARSER)
        mensaje = _text(root, "Mensaje")
        detail = (_text(root, "DetalleMensaje") or "").replace("\r\n", "\n")
        lines = [(int(m.group(1)), m.group(2)) for m in _LINE.finditer(detail)]
        codes = [code for code, _ in lines]
        errors = [code for code, _ in lines if code not in _WARNINGS]
        if mensaje == "3":
            lowered = detail.lower()
            if "firma" in lowered and ("no es válida" in lowered or "modificado luego" in lowered):
                category = "signature"
            elif any(msg.startswith("cvc-") for _, msg in lines) or _AMOUNT_CODES.intersection(errors):
                category = "validation"
            elif -99 in errors:
                category = "duplicate"
            elif "signum one" in lowered:
                category = "transient"
            else:
                category = "validation"
    elif state == "error":
        category = "server"
    return state, codes, category


# ----------------------------------------------------------------------------- hacienda_cr


def hacienda_batch(bodies: list[bytes]) -> list[tuple[str, list[int], str | None]]:
    out = []
    for r in hc.parse_status_many(bodies):
        assert isinstance(r, hc.StatusReport)
        codes = r.message.detail.codes if r.message is not None else []
        category = str(r.classification.category) if r.classification is not None else None
        out.append((str(r.state), codes, category))
    return out


# ----------------------------------------------------------------------------- corpus


def corpus(n: int) -> tuple[list[bytes], str]:
    """``n`` status bodies cycling over the repo's vectors and, when present, the real signed
    answers of ../shared/fixtures/hacienda/responses wrapped as aceptado status bodies."""
    bodies = [p.read_bytes() for p in sorted(INPUTS.glob("*.json"))]
    shared = next(
        (p / "shared/fixtures/hacienda/responses" for p in [REPO, *REPO.parents] if (p / "shared").is_dir()),
        None,
    )
    real = 0
    if shared is not None and shared.is_dir():
        for path in sorted(shared.iterdir()):
            m = hc.parse_message(path.read_bytes())
            answer = base64.b64encode(path.read_bytes()).decode()
            bodies.append(
                json.dumps({"clave": m.clave, "ind-estado": "aceptado", "respuesta-xml": answer}).encode()
            )
            real += 1
    mean = statistics.mean(map(len, bodies))
    mix = f"{len(bodies)} distinct bodies ({real} real signed Hacienda answers), mean {mean:.0f} bytes"
    return [bodies[i % len(bodies)] for i in range(n)], mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    bodies, mix = corpus(args.docs)

    # Same answers from both implementations, before timing anything.
    ours = hacienda_batch(bodies)
    theirs = [baseline_parse_and_classify(b) for b in bodies]
    assert [(s, c) for s, c, _ in ours] == [(s, c) for s, c, _ in theirs], (
        "implementations disagree on state/codes"
    )
    assert [cat for *_, cat in ours] == [cat for *_, cat in theirs], "implementations disagree on category"

    batch = best_of(args.rounds, lambda: hacienda_batch(bodies))
    single = best_of(args.rounds, lambda: [hc.parse_status(b).classification for b in bodies])
    base = best_of(args.rounds, lambda: [baseline_parse_and_classify(b) for b in bodies])
    per = 1e6 / len(bodies)
    print(f"status JSON + embedded answer + classification, {len(bodies)} docs, best of {args.rounds}")
    print(f"corpus: {mix}")
    cores = os.cpu_count() or 1
    print(f"  hacienda_cr parse_status_many : {batch * per:8.2f} µs/doc  (GIL released, {cores} cores)")
    print(f"  hacienda_cr parse_status loop : {single * per:8.2f} µs/doc  (one call per body, 1 core)")
    print(f"  Python json+base64+lxml+re    : {base * per:8.2f} µs/doc  (1 core)")
    print(f"  speed-up batch vs Python      : {base / batch:8.1f}x   (target ≥ 5x)")
    print(f"  speed-up loop vs Python       : {base / single:8.1f}x")
    for name, value in [("batch, parse_status_many", batch), ("one call per body", single)]:
        record = {
            "name": f"status JSON + answer + classify ({name})",
            "value": round(value * per, 2),
            "unit": "µs/doc",
            "baseline": "Python json+base64+lxml+re",
            "baseline_value": round(base * per, 2),
            "target": "≥ 5x faster" if "batch" in name else "",
        }
        print("BENCH " + json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
