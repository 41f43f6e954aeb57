"""The Python surface: types, enums, errors, immutability, batch functions."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

import hacienda_cr as hc
from conftest import OWN_FIXTURES
from hacienda_cr import errors

STATUS_REJECTED = (OWN_FIXTURES / "inputs" / "status_rechazado_montos.json").read_bytes()


def test_status_report_types() -> None:
    r = hc.parse_status(STATUS_REJECTED)
    assert r.state is hc.IndEstado.RECHAZADO
    assert r.state == "rechazado" and str(r.state) == "rechazado"
    assert r.is_final and r.state.is_final
    assert r.fecha_utc == dt.datetime(2025, 9, 15, 16, 5, 33, tzinfo=dt.timezone.utc)
    assert r.fecha_utc is not None and r.fecha_utc.tzinfo is not None
    m = r.message
    assert m is not None
    assert m.kind is hc.MessageKind.MENSAJE_HACIENDA
    assert m.mensaje is hc.MessageCode.REJECTED
    assert m.total_tax == Decimal("1950.00000")
    assert isinstance(m.total_invoice, Decimal)
    assert m.emisor.id_number == "3101234567"
    assert m.receptor is not None and m.receptor.id_number == "109870654"
    assert m.detail.codes == [-37, -45, -54]
    assert m.detail.error_codes == [-45, -54]
    assert m.detail.warning_codes == [-37]
    assert all(isinstance(line.severity, hc.Severity) for line in m.detail.lines)
    assert r.response_xml is not None and r.response_xml.lstrip("\ufeff").startswith("<?xml")
    c = r.classification
    assert c is not None
    assert c.category is hc.ErrorCategory.VALIDATION
    assert c.next_step is hc.NextStep.FIX_DOCUMENT
    assert c.blocking is hc.BlockingLevel.ERROR
    assert c.hint("es") == c.hint_es and c.hint("en") == c.hint_en
    with pytest.raises(ValueError, match="lang"):
        c.hint("fr")


def test_frozen_classes_refuse_assignment() -> None:
    r = hc.parse_status(STATUS_REJECTED)
    with pytest.raises(AttributeError):
        r.state = hc.IndEstado.ACEPTADO  # type: ignore[misc]
    with pytest.raises(AttributeError):
        r.clave = "x"  # type: ignore[misc]


def test_reprs_are_python_style_and_short() -> None:
    r = hc.parse_status(STATUS_REJECTED)
    assert repr(r) == (
        "StatusReport(clave='50615092500310123456700100001010000000451123456789', "
        "state='rechazado', codes=[-37, -45, -54])"
    )
    assert repr(r.classification).startswith("Classification(category='validation', rule='amounts'")
    assert "code=-45" in repr(r.classification)
    req = hc.build_submission((OWN_FIXTURES / "inputs" / "fe_v44_ferreteria.xml").read_bytes())
    assert "base64 chars" in repr(req) and req.comprobante_xml not in repr(req)


def test_to_dict_is_json_serializable() -> None:
    d = hc.parse_status(STATUS_REJECTED).to_dict()
    text = json.dumps(d)
    assert '"rule": "amounts"' in text
    assert d["message"]["total_tax"] == "1950.00000"


def test_errors_are_typed_with_attributes() -> None:
    with pytest.raises(hc.ParseError) as info:
        hc.parse_status(b'{"clave": "1"}')
    assert info.value.kind == "missing_field" and info.value.field == "ind-estado"
    assert isinstance(info.value, ValueError) and isinstance(info.value, hc.HaciendaError)
    with pytest.raises(hc.UnsafeXmlError) as bomb:
        hc.parse_message(b'<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>')
    assert bomb.value.kind == "dtd"
    with pytest.raises(hc.InvalidKeyError) as key:
        hc.parse_clave("506")
    assert key.value.kind == "invalid_key" and key.value.field == "clave"
    with pytest.raises(TypeError, match="must be str or bytes"):
        hc.parse_status(12)  # type: ignore[arg-type]
    assert "missing_field" in repr(info.value)


def test_classified_error_subclasses() -> None:
    c = hc.classify_http(429, None, "")
    assert c is not None
    e = hc.ClassifiedError.from_classification(c)
    assert isinstance(e, errors.RateLimitError) and e.retryable and e.kind == "rate_limit"
    c2 = hc.classify_text("La firma del comprobante electrónico no es válida")
    assert isinstance(hc.ClassifiedError.from_classification(c2, "boom"), errors.SignatureError)


def test_batch_parse_returns_errors_in_place() -> None:
    bodies: list[str | bytes] = [STATUS_REJECTED, b"not json", '{"clave":"1","indEstado":"RECIBIDO"}']
    out = hc.parse_status_many(bodies)
    assert isinstance(out[0], hc.StatusReport) and out[0].state == "rechazado"
    assert isinstance(out[1], hc.ParseError) and out[1].kind == "json"
    assert isinstance(out[2], hc.StatusReport) and out[2].state is hc.IndEstado.RECIBIDO
    assert hc.parse_status_many([]) == []
    with pytest.raises(TypeError):
        hc.parse_status_many([1])  # type: ignore[list-item]


def test_large_batches_keep_order_and_match_single_parses(own_fixtures: Path) -> None:
    vector_bodies = [p.read_bytes() for p in sorted((own_fixtures / "inputs").glob("*.json"))]
    assert len(vector_bodies) >= 5
    # Big enough to be split over threads: results must come back in input order, errors in place.
    bodies = [vector_bodies[i % len(vector_bodies)] if i % 7 else b"{not json" for i in range(1000)]
    batch = hc.parse_status_many(bodies)
    assert len(batch) == len(bodies)
    for body, got in zip(bodies, batch, strict=True):
        try:
            single = hc.parse_status(body)
        except hc.ParseError as e:
            assert isinstance(got, hc.ParseError) and got.kind == e.kind
            continue
        assert isinstance(got, hc.StatusReport)
        assert got.to_dict() == single.to_dict()


def test_classify_many_accepts_every_input_shape() -> None:
    out = hc.classify_many(
        [
            {"http_status": 202},
            {"http_status": 400, "error_cause": "El comprobante con la Clave [1] ya fue recibido."},
            {"transport": "timeout"},
            {"text": "Error al comunicarse con el Signum One"},
            {"http_status": 520, "body": "<html>Origin Error</html>"},
        ]
    )
    assert out[0] is None
    assert [c.rule for c in out[1:] if c is not None] == [
        "already_received",
        "timeout",
        "signum_one",
        "cloudflare_origin",
    ]
    with pytest.raises(ValueError, match="item 0"):
        hc.classify_many([{"transport": "carrier pigeon"}])


def test_classify_transport_takes_enum_or_str() -> None:
    assert hc.classify_transport(hc.TransportError.DNS).rule == "dns"
    assert hc.classify_transport("connection_reset", "peer").reason == "peer"
    with pytest.raises(ValueError):
        hc.classify_transport("nope")


def test_read_submit_response_with_mapping_headers() -> None:
    out = hc.read_submit_response(429, {"Retry-After": "30", "X-Ratelimit-Remaining": "0"})
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert out.state is hc.SubmitState.FAILED
    assert out.retry_after(now) == now + dt.timedelta(seconds=30)
    ok = hc.read_submit_response(202, [("Location", "https://x/recepcion/1")], b"")
    assert ok.is_received and ok.location == "https://x/recepcion/1" and ok.classification is None


def test_read_status_response() -> None:
    a = hc.read_status_response(200, {}, STATUS_REJECTED)
    assert a.report is not None and a.report.state == "rechazado"
    assert a.classification is not None and a.classification.rule == "amounts"
    missing = hc.read_status_response(404, {"X-Error-Cause": "No existe el recurso con Clave = [1]"})
    assert missing.report is None and missing.classification is not None
    assert missing.error_cause == "No existe el recurso con Clave = [1]"
    with pytest.raises(hc.ParseError):
        hc.read_status_response(200, {}, b"<html>")


def test_clave_roundtrip() -> None:
    c = hc.parse_clave("50615092500310123456700100001010000000451123456789")
    assert c.date == dt.date(2025, 9, 15)
    assert c.consecutivo.document_type is hc.DocumentType.FACTURA_ELECTRONICA
    assert c.situation is hc.Situation.NORMAL
    built = hc.build_clave(
        date=c.date, issuer_id="3101234567", consecutivo=str(c.consecutivo), security_code="23456789"
    )
    assert built == c and str(built) == c.digits
    assert hc.parse_consecutivo("00100001010000000451").number == 451
    with pytest.raises(hc.InvalidKeyError, match="situation"):
        hc.build_clave(
            date=c.date, issuer_id="1", consecutivo=str(c.consecutivo), security_code="1" * 8, situation="bad"
        )


def test_read_any_dispatches() -> None:
    inputs = OWN_FIXTURES / "inputs"
    assert isinstance(hc.read_any((inputs / "status_procesando.json").read_bytes()), hc.StatusReport)
    assert isinstance(hc.read_any((inputs / "mr_v44_parcial.xml").read_text()), hc.HaciendaMessage)
    doc = hc.read_any((inputs / "fe_v44_ferreteria.xml").read_bytes())
    assert isinstance(doc, hc.DocumentSummary)
    assert doc.total == Decimal("16950.00000") and doc.line_count == 2
    b64 = base64.b64encode((inputs / "mh_v44_signum_one.xml").read_bytes())
    msg = hc.read_any(b64)
    assert isinstance(msg, hc.HaciendaMessage) and msg.classification is not None
    assert msg.classification.category is hc.ErrorCategory.TRANSIENT


def test_submission_body() -> None:
    xml = (OWN_FIXTURES / "inputs" / "fe_v44_ferreteria.xml").read_bytes()
    req = hc.build_submission(xml, callback_url="https://erp.example/cb")
    body = json.loads(req.to_json())
    assert base64.b64decode(body["comprobanteXml"]) == xml
    assert body["emisor"] == {"tipoIdentificacion": "02", "numeroIdentificacion": "3101234567"}
    assert req.emisor == ("02", "3101234567") and req.status_key == req.clave
    mr = hc.build_submission((OWN_FIXTURES / "inputs" / "mr_v44_parcial.xml").read_text())
    assert mr.status_key.endswith("-00100001060000000031")
