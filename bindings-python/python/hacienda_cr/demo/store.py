"""The demo host's SQLite store: documents, responses, the retry queue, notifications."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .._native import QueueEntry

SCHEMA = """
DROP TABLE IF EXISTS documents;
DROP TABLE IF EXISTS responses;
DROP TABLE IF EXISTS retry_queue;
DROP TABLE IF EXISTS notifications;
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    clave TEXT UNIQUE NOT NULL,
    xml BLOB NOT NULL,
    state TEXT,                 -- NULL: not submitted; recibido/procesando/aceptado/rechazado/error
    submitted_at TEXT,
    answered_at TEXT,
    poll_count INTEGER NOT NULL DEFAULT 0,
    last_polled_at TEXT,
    posts INTEGER NOT NULL DEFAULT 0,
    needs_attention INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE responses (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    result TEXT NOT NULL,
    codes TEXT NOT NULL,
    xml TEXT,
    received_at TEXT NOT NULL
);
CREATE TABLE retry_queue (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL UNIQUE,
    operation TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    category TEXT,
    priority INTEGER NOT NULL,
    next_attempt_at TEXT,
    state TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    first_failure_at TEXT,
    updated_at TEXT
);
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX documents_state ON documents(state);
CREATE INDEX queue_state ON retry_queue(state);
"""


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class Store:
    """A thin layer over sqlite3 (the embedded default; any DB-API store would do)."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def add_documents(self, rows: Iterable[tuple[str, bytes]]) -> None:
        self.db.executemany("INSERT INTO documents (clave, xml) VALUES (?, ?)", rows)
        self.db.commit()

    def unsubmitted(self, limit: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT d.id, d.clave, d.xml FROM documents d WHERE d.state IS NULL AND d.posts = 0"
            " AND NOT EXISTS (SELECT 1 FROM retry_queue q WHERE q.document_id = d.id) ORDER BY d.id LIMIT ?",
            (limit,),
        ).fetchall()

    def document(self, doc_id: int) -> sqlite3.Row:
        row: sqlite3.Row = self.db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row

    def count_post(self, doc_id: int) -> None:
        self.db.execute("UPDATE documents SET posts = posts + 1 WHERE id = ?", (doc_id,))

    def mark_received(self, doc_id: int, now: datetime) -> None:
        self.db.execute(
            "UPDATE documents SET state = COALESCE(state, 'recibido'),"
            " submitted_at = COALESCE(submitted_at, ?) WHERE id = ?",
            (_iso(now), doc_id),
        )

    def polling_records(self) -> dict[str, list[Any]]:
        rows = self.db.execute(
            "SELECT id, submitted_at, state, poll_count, last_polled_at FROM documents"
            " WHERE state IN ('recibido', 'procesando') AND needs_attention = 0"
        ).fetchall()
        return {
            "id": [r["id"] for r in rows],
            "submitted_at": [_dt(r["submitted_at"]) for r in rows],
            "state": [r["state"] for r in rows],
            "poll_count": [r["poll_count"] for r in rows],
            "last_polled_at": [_dt(r["last_polled_at"]) for r in rows],
        }

    def mark_polled(self, doc_id: int, now: datetime, state: str | None) -> None:
        self.db.execute(
            "UPDATE documents SET poll_count = poll_count + 1, last_polled_at = ?, state = COALESCE(?, state)"
            " WHERE id = ?",
            (_iso(now), state, doc_id),
        )

    def mark_final(self, doc_id: int, state: str, now: datetime) -> None:
        self.db.execute(
            "UPDATE documents SET state = ?, answered_at = ?, submitted_at = COALESCE(submitted_at, ?)"
            " WHERE id = ?",
            (state, _iso(now), _iso(now), doc_id),
        )

    def needs_attention(self, ids: list[int]) -> None:
        self.db.executemany("UPDATE documents SET needs_attention = 1 WHERE id = ?", [(i,) for i in ids])

    def add_response(
        self, doc_id: int, kind: str, result: str, codes: list[int], xml: str | None, now: datetime
    ) -> None:
        self.db.execute(
            "INSERT INTO responses (document_id, kind, result, codes, xml, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (doc_id, kind, result, json.dumps(codes), xml, _iso(now)),
        )

    def notify(self, doc_id: int, reason: str, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO notifications (document_id, reason, created_at) VALUES (?, ?, ?)",
            (doc_id, reason, _iso(now)),
        )

    # ------------------------------------------------------------------ retry queue

    def queue_entry(self, doc_id: int) -> QueueEntry | None:
        row = self.db.execute("SELECT * FROM retry_queue WHERE document_id = ?", (doc_id,)).fetchone()
        return None if row is None else self._entry(row)

    def queue_entry_by_id(self, entry_id: int) -> QueueEntry:
        return self._entry(self.db.execute("SELECT * FROM retry_queue WHERE id = ?", (entry_id,)).fetchone())

    def new_entry_id(self) -> int:
        row = self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM retry_queue").fetchone()
        return int(row[0])

    def save_entry(self, e: QueueEntry) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO retry_queue (id, document_id, operation, attempts, category, priority,"
            " next_attempt_at, state, last_error, created_at, first_failure_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.id,
                int(e.document_ref),
                str(e.operation),
                e.attempts,
                None if e.category is None else str(e.category),
                e.priority,
                _iso(e.next_attempt_at),
                str(e.state),
                e.last_error,
                _iso(e.created_at),
                _iso(e.first_failure_at),
                _iso(e.updated_at),
            ),
        )

    def queue_records(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM retry_queue").fetchall()
        return [
            {
                "id": r["id"],
                "document_ref": str(r["document_id"]),
                "operation": r["operation"],
                "attempts": r["attempts"],
                "category": r["category"],
                "priority": r["priority"],
                "next_attempt_at": _dt(r["next_attempt_at"]),
                "state": r["state"],
                "created_at": _dt(r["created_at"]),
                "first_failure_at": _dt(r["first_failure_at"]),
                "updated_at": _dt(r["updated_at"]),
            }
            for r in rows
        ]

    def _entry(self, r: sqlite3.Row) -> QueueEntry:
        created = _dt(r["created_at"])
        assert created is not None
        return QueueEntry(
            id=r["id"],
            document_ref=str(r["document_id"]),
            operation=r["operation"],
            created_at=created,
            attempts=r["attempts"],
            category=r["category"],
            priority=r["priority"],
            next_attempt_at=_dt(r["next_attempt_at"]),
            state=r["state"],
            last_error=r["last_error"],
            first_failure_at=_dt(r["first_failure_at"]),
            updated_at=_dt(r["updated_at"]),
        )

    # ------------------------------------------------------------------ reporting

    def dashboard_records(self) -> dict[str, list[Any]]:
        rows = self.db.execute("SELECT state, submitted_at, answered_at FROM documents").fetchall()
        return {
            "id": list(range(1, len(rows) + 1)),
            "state": [r["state"] for r in rows],
            "submitted_at": [_dt(r["submitted_at"]) for r in rows],
            "answered_at": [_dt(r["answered_at"]) for r in rows],
        }

    def response_records(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT kind, result, codes FROM responses").fetchall()
        return [{"kind": r["kind"], "result": r["result"], "codes": json.loads(r["codes"])} for r in rows]

    def scalar(self, sql: str, *params: Any) -> int:
        return int(self.db.execute(sql, params).fetchone()[0])
