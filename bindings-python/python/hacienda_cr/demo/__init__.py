"""``hacienda-cr demo``: the reference host (SQLite, bulk submission, polling, retry queue with
backoff on a compressed clock) against an in-process simulator, with a dashboard at the end."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from .host import FAULT_PROFILES, DemoHost, DemoOptions, Summary
from .report import print_dashboard

__all__ = ["FAULT_PROFILES", "DemoHost", "DemoOptions", "Summary", "add_parser", "print_dashboard", "run"]


def add_parser(sub: Any) -> None:
    """Adds the ``demo`` subcommand to the CLI's subparsers."""
    d = DemoOptions()
    p = sub.add_parser("demo", help="run the reference host against an in-process simulator")
    p.add_argument("-n", "--documents", type=int, default=d.documents, help="documents to submit")
    p.add_argument("--latency-ms", type=int, default=d.latency_ms, help="simulated latency per answer")
    p.add_argument("--faults", choices=sorted(FAULT_PROFILES), default=d.faults, help="fault profile")
    p.add_argument("--db", default=d.db, help="SQLite database path (recreated; ':memory:' for none)")
    p.add_argument("--speed", type=float, default=d.speed, help="clock compression (600: a minute per 0.1 s)")
    p.add_argument("--hours", type=float, default=d.hours, help="demo hours to keep retrying")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Runs the demo from parsed arguments; 0 when every document is accounted for."""
    options = DemoOptions(
        documents=args.documents,
        latency_ms=args.latency_ms,
        faults=args.faults,
        db=args.db,
        speed=args.speed,
        hours=args.hours,
        seed=args.seed,
        progress=not args.quiet,
    )
    print(
        f"hacienda-cr demo: {options.documents} documents, fault profile {options.faults!r}, "
        f"latency {options.latency_ms} ms, clock x{options.speed:g}, database {options.db}",
        file=out,
    )
    host = DemoHost(options, log=lambda line: print(line, file=sys.stderr if out is sys.stdout else out))
    try:
        summary = host.run()
    finally:
        host.close()
    print_dashboard(summary, out)
    return 0 if summary.unaccounted == 0 and summary.resubmitted_after_receipt == 0 else 1
