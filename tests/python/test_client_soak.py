"""Bounded fault soak: 2000 documents through the demo host (SQLite, retry queue, polling) against
the simulator with the heavy fault profile, on a compressed clock. At the end every document is
accepted, rejected, waiting in the queue with a future due time, or given up with a notification;
none was submitted again after Hacienda had received it; the counts add up and are printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from hacienda_cr.demo import DemoHost, DemoOptions


def test_soak_2000_documents_with_faults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    options = DemoOptions(
        documents=2000,
        latency_ms=5,
        faults="heavy",
        db=str(tmp_path / "soak.sqlite3"),
        speed=600.0,
        hours=3.0,
        progress=False,
        max_wall_seconds=200.0,
    )
    host = DemoHost(options)
    try:
        s = host.run()
        stored = host.store.scalar("SELECT COUNT(*) FROM documents")
        notifications = host.store.scalar("SELECT COUNT(*) FROM notifications")
    finally:
        host.close()
    sim = s.sim
    finals = sum(s.final.values())
    with capsys.disabled():
        print(
            f"\nsoak: {s.documents} documents in {s.wall_seconds:.1f} s"
            f" ({s.demo_seconds / 3600:.1f} demo hours):"
            f" aceptado {s.final['aceptado']}, rechazado {s.final['rechazado']}, error {s.final['error']},"
            f" queued {s.queued}, given up {s.given_up} (notified {s.notified}), unaccounted {s.unaccounted};"
            f" POSTs {sim['posts']} (host attempts {s.extra['host_posts']}), received {sim['received']},"
            f" resubmitted after receipt {s.resubmitted_after_receipt};"
            f" faults 503 {sim['fault_server_error']}, 520 {sim['fault_cloudflare']},"
            f" resets {sim['fault_reset']},"
            f" hangs {sim['fault_hang']}, 401 skew {sim['fault_clock_skew']}, 429 {sim['rate_limited']}"
        )
    assert stored == 2000
    assert finals + s.queued + s.notified == s.documents, "the counts add up"
    assert s.unaccounted == 0
    assert s.resubmitted_after_receipt == 0, "nothing was submitted again after Hacienda had it"
    assert s.given_up == s.notified > 0, "documents refused for good were given up, each with a notification"
    assert notifications >= s.notified
    assert finals <= sim["received"] <= finals + s.queued, (
        "every received document got its answer or is queued"
    )
    # The faults really happened, and the retries really ran.
    assert sim["fault_server_error"] > 0 and sim["fault_cloudflare"] > 0 and sim["fault_reset"] > 0
    assert sim["fault_hang"] > 0 and sim["fault_clock_skew"] > 0
    assert s.extra["host_posts"] > sim["received"], "failed submissions were retried"
    assert s.final["rechazado"] > 0 and s.final["aceptado"] > s.final["rechazado"]
