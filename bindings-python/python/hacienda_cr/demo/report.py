"""The dashboard printed at the end of the demo."""

from __future__ import annotations

from typing import TextIO

from .host import Summary


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def print_dashboard(s: Summary, out: TextIO) -> None:
    d = s.dashboard
    q = s.queue
    p = print
    hours = s.demo_seconds / 3600
    p(f"\nDashboard — {s.documents} documents, {hours:.1f} demo hours in {s.wall_seconds:.1f} s", file=out)
    by_state = ", ".join(f"{k} {v}" for k, v in sorted(d.by_state.items()))
    p(f"  by state            : {by_state}", file=out)
    rate = "-" if d.acceptance_rate is None else f"{d.acceptance_rate * 100:.1f} %"
    p(f"  acceptance rate     : {rate}", file=out)
    p(
        f"  time to answer      : average {_secs(d.avg_answer_seconds)}, p95 {_secs(d.p95_answer_seconds)}"
        " (demo clock, from submission to the final answer)",
        file=out,
    )
    p(
        f"  retry queue         : {q.total} entries — "
        + ", ".join(f"{k} {v}" for k, v in sorted(q.by_state.items()))
        + " | by category: "
        + (", ".join(f"{k} {v}" for k, v in sorted(q.by_category.items())) or "-"),
        file=out,
    )
    top = ", ".join(f"{code} x{n}" for code, n in s.responses.top_codes) or "-"
    p(f"  top error codes     : {top}", file=out)
    sim = s.sim
    p(
        f"  Hacienda (simulated): POSTs {sim['posts']}, received {sim['received']}, status queries "
        f"{sim['status_requests']}, 429 {sim['rate_limited']}, logins {sim['logins']}, "
        f"refreshes {sim['refreshes']}",
        file=out,
    )
    p(
        f"  faults injected     : 503 {sim['fault_server_error']}, 520 {sim['fault_cloudflare']}, resets "
        f"{sim['fault_reset']}, hangs {sim['fault_hang']}, clock skew 401 {sim['fault_clock_skew']}",
        file=out,
    )
    finals = sum(s.final.values())
    p(
        f"  every document      : final {finals} ({', '.join(f'{k} {v}' for k, v in s.final.items())})"
        f" + queued with a future due time {s.queued} + given up with a notification {s.notified}"
        f" = {finals + s.queued + s.notified} of {s.documents}"
        + (" ✓" if s.unaccounted == 0 else f"  ✗ {s.unaccounted} unaccounted"),
        file=out,
    )
    p(
        f"  resubmitted after Hacienda had it: {s.resubmitted_after_receipt}"
        + (" ✓" if s.resubmitted_after_receipt == 0 else " ✗"),
        file=out,
    )
