"""Conformance of the Python package over the real public samples (../shared/fixtures/hacienda).

The Rust suite (tests/rust/conformance.rs) checks the same files in more depth; this one proves
the binding carries the results unchanged.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import hacienda_cr as hc

CLAVE_IN_NAME = re.compile(r"(\d{50})")


def test_every_response_parses_with_its_clave(shared_fixtures: Path) -> None:
    files = sorted((shared_fixtures / "responses").iterdir())
    assert len(files) == 7
    for path in files:
        m = hc.parse_message(path.read_bytes())
        assert m.kind is hc.MessageKind.MENSAJE_HACIENDA, path.name
        assert m.signed and m.detail.sandbox and m.is_accepted, path.name
        assert m.classification is None, path.name
        found = CLAVE_IN_NAME.search(path.name)
        if found:
            assert m.clave == found.group(1), path.name
        hc.parse_clave(m.clave)


def test_every_document_gives_clave_type_and_version(shared_fixtures: Path) -> None:
    for path in sorted((shared_fixtures / "documents").iterdir()):
        obj = hc.read_any(path.read_bytes())
        version = re.search(r"_v(\d)(\d)_", path.name)
        assert version, path.name
        if path.name.startswith("mr_"):
            assert isinstance(obj, hc.HaciendaMessage), path.name
            assert obj.kind is hc.MessageKind.MENSAJE_RECEPTOR
        else:
            assert isinstance(obj, hc.DocumentSummary), path.name
            expected_type = {
                "fe": hc.DocumentType.FACTURA_ELECTRONICA,
                "nc": hc.DocumentType.NOTA_CREDITO_ELECTRONICA,
                "nd": hc.DocumentType.NOTA_DEBITO_ELECTRONICA,
                "te": hc.DocumentType.TIQUETE_ELECTRONICO,
            }[path.name[:2]]
            assert obj.document_type is expected_type, path.name
        assert obj.schema_version == f"{version.group(1)}.{version.group(2)}", path.name
        hc.parse_clave(obj.clave)


def test_derived_rejections_give_mensaje_3_and_their_codes(shared_fixtures: Path) -> None:
    data = json.loads((shared_fixtures / "derived" / "tropical_mh_v42_responses_from_sql.json").read_text())
    responses = data["responses"]
    assert len(responses) == 10
    for r in responses:
        fields = [
            "Clave",
            "NombreEmisor",
            "TipoIdentificacionEmisor",
            "NumeroCedulaEmisor",
            "NombreReceptor",
            "Mensaje",
            "DetalleMensaje",
            "MontoTotalImpuesto",
            "TotalFactura",
        ]
        body = "".join(f"<{f}>{escape(r[f], quote=False)}</{f}>" for f in fields)
        m = hc.parse_message(f'<MensajeHacienda xmlns="{r["namespace"]}">{body}</MensajeHacienda>')
        expected_codes = [int(c) for c in re.findall(r"^(-\d+), \"", r["DetalleMensaje"], re.MULTILINE)]
        assert m.mensaje is hc.MessageCode.REJECTED
        assert m.detail.codes == expected_codes and expected_codes
        assert m.classification is not None and m.classification.category in (
            hc.ErrorCategory.DUPLICATE,
            hc.ErrorCategory.VALIDATION,
        )


def test_base64_answers_roundtrip_through_status(shared_fixtures: Path) -> None:
    import base64

    bodies = []
    for path in sorted((shared_fixtures / "responses").iterdir()):
        m = hc.parse_message(path.read_bytes())
        answer = base64.b64encode(path.read_bytes()).decode()
        bodies.append(json.dumps({"clave": m.clave, "ind-estado": "aceptado", "respuesta-xml": answer}))
    reports = hc.parse_status_many(bodies)
    assert all(isinstance(r, hc.StatusReport) and r.message is not None for r in reports)
