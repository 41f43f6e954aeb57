"""Read Hacienda's answers into values an Odoo record can store.

One call per answer (or one per batch with :func:`values_from_status_many`); every fact
(state, message kind, decoded XML, DetalleMensaje lines, error codes, classification) comes
from ``hacienda_cr``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import hacienda_cr as hc

# ind-estado -> state of l10n_cr.einvoice.document
DOCUMENT_STATE = {
    "recibido": "submitted",
    "procesando": "submitted",
    "aceptado": "accepted",
    "rechazado": "rejected",
    "error": "error",
}


def classification_values(c: hc.Classification | None) -> dict[str, object]:
    """Odoo values of a classification (all False when there is none)."""
    if c is None:
        return {
            "error_category": False,
            "retryable": False,
            "blocking_level": False,
            "next_step": False,
            "hint_es": False,
            "hint_en": False,
        }
    return {
        "error_category": str(c.category),
        "retryable": c.retryable,
        "blocking_level": str(c.blocking),
        "next_step": str(c.next_step),
        "hint_es": c.hint_es,
        "hint_en": c.hint_en,
    }


def _detail_values(detail: hc.Detail) -> dict[str, object]:
    lines = [line.to_dict() for line in detail.lines]
    return {
        "detail_text": detail.raw,
        "detail_summary": detail.summary(),
        "sandbox": detail.sandbox,
        "error_codes": ",".join(str(c) for c in detail.error_codes),
        "warning_codes": ",".join(str(c) for c in detail.warning_codes),
        "detail_lines_json": json.dumps(lines, ensure_ascii=False, default=str),
    }


def message_values(message: hc.HaciendaMessage) -> dict[str, object]:
    """Values of a parsed MensajeHacienda / MensajeReceptor."""
    vals: dict[str, object] = {
        "clave": message.clave,
        "message_kind": str(message.kind),
        "mensaje": str(message.mensaje),
        "schema_version": message.schema_version or False,
        "emisor_name": message.emisor.name or False,
        "emisor_id": message.emisor.id_number or False,
        "receptor_name": message.receptor.name if message.receptor else False,
        "receptor_id": message.receptor.id_number if message.receptor else False,
        "total_tax": float(message.total_tax) if message.total_tax is not None else 0.0,
        "total_invoice": float(message.total_invoice) if message.total_invoice is not None else 0.0,
    }
    vals.update(_detail_values(message.detail))
    vals.update(classification_values(message.classification))
    return vals


def values_from_report(report: hc.StatusReport) -> dict[str, object]:
    """Values of a status answer or callback already parsed by ``hc.parse_status``."""
    vals: dict[str, object] = {
        "clave": report.clave,
        "ind_estado": str(report.state),
        "is_final": report.is_final,
        "response_xml": report.response_xml or False,
        "answer_date": report.fecha_utc.replace(tzinfo=None) if report.fecha_utc else False,
        "message_kind": False,
        "mensaje": False,
        "parse_error": str(report.message_error) if report.message_error else False,
    }
    if report.message is not None:
        vals.update(message_values(report.message))
    vals.update(classification_values(report.classification))
    return vals


def values_from_status(body: str | bytes) -> dict[str, object]:
    """Values of one status JSON or callback body. Raises ``hc.ParseError`` on bad input."""
    return values_from_report(hc.parse_status(body))


def values_from_status_many(bodies: Iterable[str | bytes]) -> list[dict[str, object]]:
    """Batch version (one boundary crossing): a dict per body, ``{"parse_error": ...}``
    for a body that is not a status answer."""
    out: list[dict[str, object]] = []
    for item in hc.parse_status_many(list(bodies)):
        if isinstance(item, hc.ParseError):
            out.append({"parse_error": str(item)})
        else:
            out.append(values_from_report(item))
    return out


def values_from_message_xml(xml: str | bytes) -> dict[str, object]:
    """Values of a MensajeHacienda/MensajeReceptor given as XML or base64."""
    message = hc.parse_message(xml)
    vals = message_values(message)
    vals["response_xml"] = xml.decode("utf-8", "replace") if isinstance(xml, bytes) else xml
    return vals


def document_state(ind_estado: str) -> str:
    """The document state an ``ind-estado`` leads to."""
    try:
        return DOCUMENT_STATE[ind_estado]
    except KeyError:
        raise ValueError(f"unknown ind-estado {ind_estado!r}") from None


def error_code_list(vals: dict[str, object]) -> list[int]:
    """Error codes stored by :func:`message_values` as a list of ints."""
    text = vals.get("error_codes") or ""
    return [int(c) for c in str(text).split(",") if c.strip()]


def valid_clave(text: str) -> str | None:
    """The clave if ``text`` is a well-formed 50-digit clave (or ``clave-consecutivo``),
    else None."""
    if not isinstance(text, str):
        return None
    clave = text.split("-", 1)[0].strip()
    try:
        return hc.parse_clave(clave).digits
    except hc.InvalidKeyError:
        return None
