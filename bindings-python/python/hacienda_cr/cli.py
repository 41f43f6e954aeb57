"""The ``hacienda-cr`` command.

``hacienda-cr inspect FILE...`` reads any Hacienda answer, document or status JSON (or base64 of
one) and says what it is and what to do; ``--json`` prints one JSON object per file instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import _native
from .errors import HaciendaError

__all__ = ["main"]


def _party(name: str | None, id_type: str | None, number: str | None) -> str:
    return f"{name or '-'} ({id_type or '?'} {number or '-'})"


def _describe_classification(c: _native.Classification, lang: str) -> list[str]:
    retry = "sí" if c.retryable else "no"
    if lang == "en":
        retry = "yes" if c.retryable else "no"
    return [
        f"  problem:    {c.category} ({c.rule}), retryable: {retry}, next step: {c.next_step}",
        f"  reason:     {c.reason}",
        f"  hint:       {c.hint(lang)}",
    ]


def _describe_message(m: _native.HaciendaMessage, lang: str) -> list[str]:
    out = [
        f"  message:    {m.kind} v{m.schema_version or '?'}, Mensaje {m.mensaje}",
        f"  clave:      {m.clave}",
        f"  emisor:     {_party(m.emisor.name, m.emisor.id_type, m.emisor.id_number)}",
    ]
    if m.receptor is not None:
        r = m.receptor
        out.append(f"  receptor:   {_party(r.name, r.id_type, r.id_number)}")
    if m.total_invoice is not None:
        out.append(f"  total:      {m.total_invoice} (tax {m.total_tax if m.total_tax is not None else '-'})")
    if m.detail.sandbox:
        out.append("  sandbox:    yes (test environment answer)")
    for line in m.detail.lines:
        where = f" [row {line.row}, col {line.column}]" if line.row else ""
        out.append(f"  {line.severity:<8}{line.code:>4}: {line.message}{where}")
    out.extend(f"  note:       {note}" for note in m.detail.notes)
    if m.classification is not None:
        out.extend(_describe_classification(m.classification, lang))
    return out


def _describe(obj: Any, lang: str) -> list[str]:
    if isinstance(obj, _native.StatusReport):
        out = [f"  status:     ind-estado {obj.state} (clave {obj.clave})"]
        if obj.message is not None:
            out.extend(_describe_message(obj.message, lang))
        elif obj.message_error is not None:
            out.append(f"  respuesta-xml unreadable: {obj.message_error}")
        elif obj.classification is not None:
            out.extend(_describe_classification(obj.classification, lang))
        if not obj.is_final:
            out.append(
                "  next step:  poll again later"
                if lang == "en"
                else "  siguiente:  consultar de nuevo más tarde"
            )
        return out
    if isinstance(obj, _native.HaciendaMessage):
        return _describe_message(obj, lang)
    if isinstance(obj, _native.DocumentSummary):
        emisor = obj.emisor
        out = [
            f"  document:   {obj.root} v{obj.schema_version or '?'} ({obj.document_type})",
            f"  clave:      {obj.clave}",
            f"  consecutivo:{' ' + obj.consecutivo if obj.consecutivo else ' -'}",
            f"  issued:     {obj.fecha_emision or '-'}",
            f"  emisor:     {_party(emisor.get('name'), emisor.get('id_type'), emisor.get('id_number'))}",
        ]
        if obj.receptor:
            r = obj.receptor
            out.append(f"  receptor:   {_party(r.get('name'), r.get('id_type'), r.get('id_number'))}")
        out.append(f"  lines:      {obj.line_count}")
        if obj.total is not None:
            out.append(f"  total:      {obj.total} {obj.currency or 'CRC'} (tax {obj.total_tax})")
        out.append(f"  signed:     {'yes' if obj.signed else 'no'}")
        return out
    return [f"  {obj!r}"]


def _inspect(paths: Sequence[str], as_json: bool, lang: str, out: TextIO) -> int:
    failures = 0
    for path in paths:
        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as e:
            failures += 1
            print(
                json.dumps({"file": path, "error": {"kind": "io", "message": str(e)}})
                if as_json
                else f"{path}: cannot read: {e.strerror}",
                file=out,
            )
            continue
        try:
            obj = _native.read_any(data)
        except HaciendaError as e:
            failures += 1
            if as_json:
                print(
                    json.dumps(
                        {"file": path, "error": {"kind": e.kind, "field": e.field, "message": e.message}},
                        ensure_ascii=False,
                    ),
                    file=out,
                )
            else:
                print(f"{path}: {type(e).__name__} ({e.kind}): {e.message}", file=out)
            continue
        if as_json:
            print(
                json.dumps(
                    {"file": path, "type": type(obj).__name__, "value": obj.to_dict()}, ensure_ascii=False
                ),
                file=out,
            )
        else:
            print(f"{path}:", file=out)
            for line in _describe(obj, lang):
                print(line, file=out)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point of the ``hacienda-cr`` console script."""
    parser = argparse.ArgumentParser(prog="hacienda-cr", description="Costa Rica e-invoicing toolkit")
    sub = parser.add_subparsers(dest="command", required=True)
    inspect = sub.add_parser("inspect", help="explain answers, documents and status JSON")
    inspect.add_argument("files", nargs="+", help="files to read ('-' for stdin)")
    inspect.add_argument("--json", action="store_true", help="one JSON object per file")
    inspect.add_argument("--lang", choices=["es", "en"], default="en", help="language of the hints")
    # --- http workstream: the demo host ---
    from . import demo

    demo.add_parser(sub)
    args = parser.parse_args(argv)
    stream = out if out is not None else sys.stdout
    if args.command == "inspect":
        return _inspect(args.files, args.json, args.lang, stream)
    if args.command == "demo":
        return demo.run(args, stream)
    parser.error(f"unknown command {args.command}")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
