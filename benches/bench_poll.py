"""Talking to Hacienda: polling and bulk submission through hacienda_cr.Client, against the
simulator (real HTTP on 127.0.0.1).

1. Poll 100 submitted documents, each answer delayed 250 ms: ``Client.poll_many`` (bounded
   concurrency over kept-alive connections) vs the usual integration, a sequential loop of
   ``requests.get`` with ``json``/``base64`` reading each answer. Target: under 5 s.
2. Bulk-submit 1000 documents under the default per-minute limits (100 POSTs per simulator
   minute), the simulator clock compressed so a minute lasts a few seconds: the time taken vs
   the minimum the limit allows ((ceil(N / 100) - 1) full windows plus one round trip).
   Target: under +10 %.

Each side gets its own fresh simulator with the default limits. Prints the numbers side by side
and one machine-readable ``BENCH`` line per figure.

Run: ``python benches/bench_poll.py [--docs 100] [--latency-ms 250] [--bulk 1000] [--speed 30]``
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import time

import requests

import hacienda_cr as hc
from hacienda_cr.testing import Simulator, client_for

ISSUER = "206920142"


def invoice(n: int) -> bytes:
    clave = f"506010424000{ISSUER}0010000101{n:010d}1{n:08d}"
    return (
        '<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/'
        f'facturaElectronica"><Clave>{clave}</Clave><NumeroConsecutivo>0010000101{n:010d}'
        "</NumeroConsecutivo><FechaEmision>2024-04-01T10:00:00-06:00</FechaEmision><Emisor><Nombre>E"
        f"</Nombre><Identificacion><Tipo>01</Tipo><Numero>{ISSUER}</Numero></Identificacion></Emisor>"
        "<ResumenFactura><TotalImpuesto>130.00000</TotalImpuesto><TotalComprobante>1130.00000"
        "</TotalComprobante></ResumenFactura></FacturaElectronica>"
    ).encode()


def submitted_simulator(docs: int, latency_ms: int) -> tuple[Simulator, list[str]]:
    """A simulator holding `docs` decided documents (submitted before latency is measured)."""
    # Real time (tokens live 300 s, limits per real minute); decisions within 0.1 s.
    sim = Simulator(speed=1.0, processing_secs=(0.0, 0.1), latency_ms=latency_ms)
    client = client_for(sim)
    reqs = [hc.build_submission(invoice(n)) for n in range(docs)]
    results = client.submit_many(reqs, concurrency=50)
    assert all(r.is_received for r in results), "setup submissions failed"
    time.sleep(0.2)  # every document decided
    return sim, [r.key for r in results]


def poll_with_requests(sim: Simulator, keys: list[str]) -> tuple[float, int]:
    """The usual integration: a token, then one requests.get per document, in a loop."""
    token_url = f"{sim.url}auth/realms/rut-stag/protocol/openid-connect/token"
    form = {
        "grant_type": "password",
        "client_id": "api-stag",
        "username": sim.username,
        "password": sim.password,
    }
    t0 = time.perf_counter()
    token = requests.post(token_url, data=form, timeout=30).json()["access_token"]
    final = 0
    for key in keys:
        resp = requests.get(
            f"{sim.url}recepcion/v1/recepcion/{key}", headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        body = resp.json()
        if body.get("respuesta-xml"):
            base64.b64decode(body["respuesta-xml"])
            final += 1
    return time.perf_counter() - t0, final


def poll_with_client(sim: Simulator, keys: list[str], concurrency: int) -> tuple[float, int]:
    client = client_for(sim)
    t0 = time.perf_counter()
    client.login()
    answers = client.poll_many(keys, concurrency=concurrency)
    elapsed = time.perf_counter() - t0
    final = sum(1 for a in answers if isinstance(a, hc.StatusAnswer) and a.report and a.report.is_final)
    return elapsed, final


def bench(
    name: str, value: float, unit: str, baseline: str, baseline_value: float | None, target: str
) -> None:
    record = {"name": name, "value": round(value, 3), "unit": unit, "baseline": baseline, "target": target}
    if baseline_value is not None:
        record["baseline_value"] = round(baseline_value, 3)
    print("BENCH " + json.dumps(record, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--latency-ms", type=int, default=250)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--bulk", type=int, default=1000)
    ap.add_argument("--speed", type=float, default=30.0, help="simulator clock factor for the bulk run")
    args = ap.parse_args()

    print(f"1. poll {args.docs} documents, {args.latency_ms} ms simulated latency per answer")
    sim, keys = submitted_simulator(args.docs, args.latency_ms)
    with sim:
        ours, ours_final = poll_with_client(sim, keys, args.concurrency)
    sim, keys = submitted_simulator(args.docs, args.latency_ms)
    with sim:
        theirs, theirs_final = poll_with_requests(sim, keys)
    assert ours_final == theirs_final == args.docs, (ours_final, theirs_final)
    print(f"  hacienda_cr Client.poll_many (concurrency {args.concurrency}): {ours:7.2f} s")
    print(f"  requests.get, sequential loop                 : {theirs:7.2f} s  ({theirs / ours:.1f}x slower)")
    print(f"  target < 5 s (the old module's goal: 2 min)   : {'PASS' if ours < 5 else 'FAIL'}")
    bench(
        f"poll {args.docs} docs, {args.latency_ms} ms latency",
        ours,
        "s",
        "requests sequential loop",
        theirs,
        "< 5 s",
    )

    window = 60.0 / args.speed
    limit = 100
    minimum = (math.ceil(args.bulk / limit) - 1) * window
    print(
        f"\n2. bulk-submit {args.bulk} documents under the default limits ({limit} POSTs per minute), "
        f"clock x{args.speed:g}: a minute lasts {window:.2f} s"
    )
    with Simulator(speed=args.speed, processing_secs=(1.0, 15.0), latency_ms=20) as sim:
        client = client_for(sim, submit_limit=(limit, window * 1.01))
        reqs = [hc.build_submission(invoice(n)) for n in range(args.bulk)]
        client.login()
        t0 = time.perf_counter()
        results = client.submit_many(reqs, concurrency=20)
        took = time.perf_counter() - t0
        received = sum(1 for r in results if r.is_received)
        stats = sim.stats()
    over = (took / minimum - 1) * 100 if minimum > 0 else 0.0
    windows = math.ceil(args.bulk / limit) - 1
    print(f"  minimum the limit allows ({windows} full windows)    : {minimum:7.2f} s")
    print(f"  hacienda_cr Client.submit_many (concurrency 20): {took:7.2f} s   ({over:+.1f} %)")
    print(
        f"  received {received}/{args.bulk}, 429 answers {stats['rate_limited']}, "
        f"POSTs {stats['posts']}, duplicates {stats['duplicates']}"
    )
    print(f"  target < +10 %                                 : {'PASS' if over < 10 else 'FAIL'}")
    bench(
        f"bulk submit {args.bulk} docs, default limits",
        took,
        "s",
        "minimum the limit allows",
        minimum,
        "< +10 %",
    )


if __name__ == "__main__":
    main()
