"""Child process of test_hostile.py: reads one hostile input, prints result, RSS growth, time.

Run as ``python hostile_child.py CASE``; a separate process keeps ru_maxrss meaningful.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable

import hacienda_cr as hc

MB = 1024 * 1024


def _billion_laughs() -> bytes:
    entities = b"".join(
        b'<!ENTITY a%d "%s">' % (i, (b"&a%d;" % (i - 1) if i > 1 else b"&a;") * 10) for i in range(1, 10)
    )
    return b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + entities + b"]><m>&a9;</m>"


def _many_keys() -> bytes:
    keys = ",".join(f'"k{i}":{i}' for i in range(1_000_000))
    return ("{" + keys + ',"clave":"1","ind-estado":"error"}').encode()


INPUTS: dict[str, Callable[[], bytes]] = {
    "nesting_50mb": lambda: b"<a>" * (50 * MB // 3),
    "nesting_10mb": lambda: b"<a>" * (10 * MB // 3),
    "billion_laughs": _billion_laughs,
    "external_entity": lambda: b'<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><m>&x;</m>',
    "element_flood": lambda: b"<MensajeHacienda>" + b"<a/>" * 3_000_000 + b"</MensajeHacienda>",
    "json_1e6_keys": _many_keys,
    "invalid_base64": lambda: b"QUJD" * 100 + b"Q",
    "non_utf8": lambda: b"<MensajeHacienda>\xff\xfe</MensajeHacienda>",
    "huge_text_100mb": lambda: (
        b"<MensajeHacienda><Clave>" + b"1" * (100 * MB) + b"</Clave></MensajeHacienda>"
    ),
}


def main() -> None:
    case = sys.argv[1]
    data = INPUTS[case]()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    kind: str | None = None
    try:
        result = type(hc.read_any(data)).__name__
    except hc.HaciendaError as e:
        result, kind = type(e).__name__, e.kind
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"case": case, "result": result, "kind": kind, "extra_kb": after - before, "seconds": elapsed}
        )
    )


if __name__ == "__main__":
    main()
