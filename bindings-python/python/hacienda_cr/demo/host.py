"""The reference host: bulk submission in rate-limited batches, automatic polling, a retry queue
with backoff, response storage and give-up notifications, over SQLite, against an in-process
simulator whose clock (like the host's) is compressed so hours pass in seconds.

Every decision comes from hacienda_cr: `plan_polls`, `select_due`, `queue_on_failure`,
`queue_on_success`, `dashboard`, ... The host only stores records and moves them around.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .. import _native as hc
from ..enums import Delivery
from ..errors import ClassifiedError
from ..testing import client_for
from .clock import DemoClock
from .documents import generate
from .store import Store

FAULT_PROFILES: dict[str, dict[str, Any]] = {
    "none": {},
    "default": {
        "server_error": 0.02,
        "cloudflare_520": 0.01,
        "reset": 0.01,
        "hang": 0.003,
        "hang_secs": 2.0,
        "clock_skew_401": 0.005,
        "bad_request": 0.003,
        "outage": (300.0, 600.0),  # demo minutes 5-10: every request answered 503
    },
    "heavy": {
        "server_error": 0.08,
        "cloudflare_520": 0.04,
        "reset": 0.03,
        "hang": 0.01,
        "hang_secs": 2.0,
        "clock_skew_401": 0.02,
        "bad_request": 0.005,
        "outage": (300.0, 1200.0),
    },
}
FINAL = ("aceptado", "rechazado", "error")


@dataclass
class DemoOptions:
    documents: int = 1000
    latency_ms: int = 50
    faults: str = "default"
    db: str = "hacienda-demo.sqlite3"
    speed: float = 600.0
    hours: float = 6.0
    seed: int = 7
    rejection_rate: float = 0.08
    max_wall_seconds: float = 240.0
    progress: bool = True


@dataclass
class Summary:
    documents: int
    final: dict[str, int]
    queued: int
    given_up: int
    notified: int
    unaccounted: int
    resubmitted_after_receipt: int
    sim: dict[str, int]
    dashboard: hc.Dashboard
    queue: hc.QueueStatistics
    responses: hc.ResponseStatistics
    demo_seconds: float
    wall_seconds: float
    extra: dict[str, Any] = field(default_factory=dict)


def _category(c: hc.Classification | None) -> str:
    return "unknown" if c is None else str(c.category)


class DemoHost:
    def __init__(self, options: DemoOptions, log: Callable[[str], None] | None = None) -> None:
        if options.faults not in FAULT_PROFILES:
            raise ValueError(f"unknown fault profile {options.faults!r}: {sorted(FAULT_PROFILES)}")
        self.o = options
        self.log = log or (lambda line: print(line, file=sys.stderr))
        self.rng = random.Random(options.seed)
        self.settings = hc.Settings(polling_batch_size=200, batch_size=50, max_concurrent_batches=3)
        self.policy = hc.RetryPolicy.from_settings(self.settings)
        # A failure the classification calls not retryable (a 400 naming a wrong field) is given
        # up at once, whatever its category's multiplier.
        self.give_up = hc.RetryPolicy(max_attempts=0)
        self.sim = hc.Simulator(
            speed=options.speed,
            latency_ms=options.latency_ms,
            rejection_rate=options.rejection_rate,
            faults=FAULT_PROFILES[options.faults],
            seed=options.seed,
        )
        self.clock = DemoClock(options.speed)
        minute = 60.0 / options.speed
        # Pace to the documented limits with a 2 % margin; give 429s back to the queue.
        self.client = client_for(
            self.sim,
            timeout=1.0,
            connect_timeout=1.0,
            submit_limit=(100, minute * 1.02),
            status_limit=(100, minute * 1.02),
            max_rate_limit_wait=0.0,
        )
        self.store = Store(options.db)
        self.store.add_documents(generate(options.documents, options.seed))
        self._last_progress = -1.0
        self.queue_checked_at = self.clock.start

    # ------------------------------------------------------------------ submission

    def _entry_for(self, doc_id: int, operation: str, now: datetime) -> hc.QueueEntry:
        old = self.store.queue_entry(doc_id)
        if old is not None and str(old.operation) == operation:
            return old
        return hc.QueueEntry(
            id=old.id if old else self.store.new_entry_id(),
            document_ref=str(doc_id),
            operation=operation,
            created_at=old.created_at if old else now,
            attempts=old.attempts if old else 0,
            first_failure_at=old.first_failure_at if old else None,
            state="pending",
        )

    def _fail(
        self,
        doc_id: int,
        operation: str,
        c: hc.Classification | None,
        now: datetime,
        retry_after: datetime | None = None,
    ) -> None:
        entry = self._entry_for(doc_id, operation, now)
        policy = self.policy if c is None or c.retryable else self.give_up
        t = hc.queue_on_failure(
            policy, entry, _category(c), now, self.rng.random(), retry_after, None if c is None else c.reason
        )
        self.store.save_entry(t.entry)
        if t.notify:
            reason = t.decision.reason
            self.store.notify(doc_id, f"gave up ({reason}): {None if c is None else c.rule}", now)

    def _succeed(self, doc_id: int, now: datetime) -> None:
        entry = self.store.queue_entry(doc_id)
        if entry is not None and str(entry.state) in ("pending", "processing"):
            self.store.save_entry(hc.queue_on_success(entry, now))

    def _submit(self, doc_ids: list[int]) -> int:
        if not doc_ids:
            return 0
        docs = {i: self.store.document(i) for i in doc_ids}
        requests = [hc.build_submission(docs[i]["xml"]) for i in doc_ids]
        results = self.client.submit_many(requests, concurrency=20)
        now = self.clock.now()
        for doc_id, r in zip(doc_ids, results, strict=True):
            self.store.count_post(doc_id)
            if r.delivery in (Delivery.RECEIVED, Delivery.ALREADY_RECEIVED):
                self.store.mark_received(doc_id, now)
                self._succeed(doc_id, now)
            elif r.delivery is Delivery.UNKNOWN:
                self._fail(doc_id, "poll", r.classification, now)  # verify before any resubmission
            else:
                retry_after = r.outcome.retry_after(now) if r.outcome is not None else None
                self._fail(doc_id, "submit", r.classification, now, retry_after)
        self.store.db.commit()
        return len(doc_ids)

    def submit_new(self) -> int:
        rows = self.store.unsubmitted(self.settings.batch_size * self.settings.max_concurrent_batches)
        return self._submit([r["id"] for r in rows])

    # ------------------------------------------------------------------ retry queue

    def run_queue(self) -> int:
        now = self.clock.now()
        ids, _more = hc.select_due(self.store.queue_records(), now, 1000)
        self.queue_checked_at = now
        resubmit: list[int] = []
        verify: list[tuple[int, str]] = []
        for entry_id in ids:
            entry = self.store.queue_entry_by_id(entry_id)
            doc_id = int(entry.document_ref)
            if str(entry.operation) == "submit":
                resubmit.append(doc_id)
            else:
                verify.append((doc_id, self.store.document(doc_id)["clave"]))
        if verify:
            answers = self.client.poll_many([k for _, k in verify], concurrency=20)
            now = self.clock.now()
            for (doc_id, _), a in zip(verify, answers, strict=True):
                if isinstance(a, hc.StatusAnswer) and a.report is not None:
                    self.store.mark_received(doc_id, now)
                    self._succeed(doc_id, now)
                elif isinstance(a, hc.StatusAnswer) and a.http_status == 404:
                    resubmit.append(doc_id)  # Hacienda does not have it: now a resubmission is safe
                else:
                    c = a.classification if isinstance(a, (hc.StatusAnswer, ClassifiedError)) else None
                    self._fail(doc_id, "poll", c, now)
        self._submit(resubmit)
        self.store.db.commit()
        return len(ids)

    # ------------------------------------------------------------------ polling

    def poll(self) -> int:
        now = self.clock.now()
        plan = hc.plan_polls(self.store.polling_records(), now, self.settings)
        self.store.needs_attention(plan.expired)
        if not plan.batch:
            return 0
        keys = [self.store.document(i)["clave"] for i in plan.batch]
        answers = self.client.poll_many(keys, concurrency=20)
        now = self.clock.now()
        for doc_id, a in zip(plan.batch, answers, strict=True):
            report = a.report if isinstance(a, hc.StatusAnswer) else None
            if report is None:
                self.store.mark_polled(doc_id, now, None)
                continue
            state = str(report.state)
            if state in FINAL:
                m = report.message
                if m is not None:
                    self.store.add_response(
                        doc_id, str(m.kind), str(m.mensaje), m.detail.codes, report.response_xml, now
                    )
                self.store.mark_final(doc_id, state, now)
            self.store.mark_polled(doc_id, now, state)
        self.store.db.commit()
        return len(plan.batch)

    # ------------------------------------------------------------------ the loop

    def _counts(self) -> dict[str, int]:
        s = self.store
        return {
            "submitted": s.scalar("SELECT COUNT(*) FROM documents WHERE state IS NOT NULL"),
            "final": s.scalar(
                "SELECT COUNT(*) FROM documents WHERE state IN ('aceptado', 'rechazado', 'error')"
            ),
            "awaiting": s.scalar(
                "SELECT COUNT(*) FROM documents"
                " WHERE state IN ('recibido', 'procesando') AND needs_attention = 0"
            ),
            "unsubmitted": s.scalar(
                "SELECT COUNT(*) FROM documents d WHERE d.state IS NULL AND NOT EXISTS (SELECT 1"
                " FROM retry_queue q WHERE q.document_id = d.id AND q.state IN ('pending', 'failed'))"
            ),
            "queued": s.scalar("SELECT COUNT(*) FROM retry_queue WHERE state = 'pending'"),
            "given_up": s.scalar("SELECT COUNT(*) FROM retry_queue WHERE state = 'failed'"),
        }

    def _progress(self, c: dict[str, int], force: bool = False) -> None:
        if not self.o.progress:
            return
        wall = self.clock.wall_elapsed()
        if not force and wall - self._last_progress < 0.5:
            return
        self._last_progress = wall
        n = self.o.documents
        width = 30
        done = c["final"] * width // max(n, 1)
        sent = max(c["submitted"] * width // max(n, 1) - done, 0)
        bar = "#" * done + "+" * sent + "." * (width - done - sent)
        demo = self.clock.now() - self.clock.start
        self.log(
            f"[{bar}] submitted {c['submitted']:>5}/{n}  final {c['final']:>5}  awaiting {c['awaiting']:>4}"
            f"  queue {c['queued']:>3}  gave up {c['given_up']:>3}"
            f"  demo +{str(demo).split('.')[0]}  wall {wall:5.1f}s"
        )

    def run(self) -> Summary:
        deadline = self.clock.start + timedelta(hours=self.o.hours)
        while True:
            work = self.submit_new() + self.run_queue() + self.poll()
            c = self._counts()
            self._progress(c)
            now = self.clock.now()
            settled = c["unsubmitted"] == 0 and c["awaiting"] == 0
            if settled and (c["queued"] == 0 or now >= deadline):
                break
            if self.clock.wall_elapsed() > self.o.max_wall_seconds:
                self.log("stopping: the wall-clock budget is spent")
                break
            if work == 0:
                time.sleep(0.005)
        self._progress(self._counts(), force=True)
        return self.summary()

    def summary(self) -> Summary:
        now = self.clock.now()
        s = self.store
        final = {state: s.scalar("SELECT COUNT(*) FROM documents WHERE state = ?", state) for state in FINAL}
        queued = s.scalar(
            "SELECT COUNT(*) FROM documents d JOIN retry_queue q ON q.document_id = d.id"
            " WHERE d.state IS NULL AND q.state = 'pending' AND q.next_attempt_at > ?",
            self.queue_checked_at.isoformat(),
        )
        given_up = s.scalar(
            "SELECT COUNT(*) FROM documents d JOIN retry_queue q ON q.document_id = d.id"
            " WHERE d.state IS NULL AND q.state = 'failed'"
        )
        notified = s.scalar(
            "SELECT COUNT(DISTINCT d.id) FROM documents d JOIN retry_queue q ON q.document_id = d.id"
            " JOIN notifications n ON n.document_id = d.id WHERE d.state IS NULL AND q.state = 'failed'"
        )
        n = self.o.documents
        accounted = sum(final.values()) + queued + notified
        queue_records = s.queue_records()
        pending = sum(1 for q in queue_records if q["state"] == "pending")
        stats = self.sim.stats()
        return Summary(
            documents=n,
            final=final,
            queued=queued,
            given_up=given_up,
            notified=notified,
            unaccounted=n - accounted,
            resubmitted_after_receipt=stats["duplicates"],
            sim=stats,
            dashboard=hc.dashboard(s.dashboard_records(), now, pending),
            queue=hc.queue_statistics(queue_records, now),
            responses=hc.response_statistics(s.response_records(), 5),
            demo_seconds=(now - self.clock.start).total_seconds(),
            wall_seconds=self.clock.wall_elapsed(),
            extra={"host_posts": s.scalar("SELECT COALESCE(SUM(posts), 0) FROM documents")},
        )

    def close(self) -> None:
        self.store.close()
        self.sim.stop()
