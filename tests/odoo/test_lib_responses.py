"""Response storage values come from hacienda_cr: state, kind, decoded XML, codes, hints."""

from __future__ import annotations

import base64
import json

import pytest
from l10n_cr_einvoice.lib import failures, responses

CLAVE = "50615092500310123456700100001010000000451123456789"


def test_rejected_status_gives_codes_kind_and_hint(read_input):
    vals = responses.values_from_status(read_input("status_rechazado_montos.json"))
    assert vals["clave"] == CLAVE
    assert vals["ind_estado"] == "rechazado"
    assert vals["is_final"] is True
    assert vals["message_kind"] == "mensaje_hacienda"
    assert vals["mensaje"] == "rejected"
    assert vals["error_codes"] == "-45,-54"
    assert "-37" in vals["warning_codes"].split(",")
    assert vals["sandbox"] is True
    assert vals["response_xml"].lstrip().startswith("<?xml")
    assert vals["error_category"] == "validation"
    assert vals["retryable"] is False
    assert vals["hint_es"] and vals["hint_en"]
    lines = json.loads(vals["detail_lines_json"])
    assert [line["code"] for line in lines] == [-37, -45, -54]
    assert responses.error_code_list(vals) == [-45, -54]
    assert responses.document_state(vals["ind_estado"]) == "rejected"


def test_processing_status_is_not_final_and_has_no_message(read_input):
    vals = responses.values_from_status(read_input("status_procesando.json"))
    assert vals["ind_estado"] == "procesando"
    assert vals["is_final"] is False
    assert vals["message_kind"] is False
    assert vals["response_xml"] is False
    assert vals["error_category"] is False
    assert responses.document_state("procesando") == "submitted"


def test_accepted_with_warning_is_accepted(read_input):
    vals = responses.values_from_status(read_input("status_aceptado_nota_16.json"))
    assert vals["ind_estado"] == "aceptado"
    assert vals["mensaje"] == "accepted"
    assert vals["error_codes"] == ""
    assert responses.document_state("aceptado") == "accepted"


def test_callback_signature_rejection_is_not_retryable(read_input):
    vals = responses.values_from_status(read_input("callback_rechazado_firma.json"))
    assert vals["ind_estado"] == "rechazado"
    assert vals["error_category"] == "signature"
    assert vals["retryable"] is False


def test_batch_parsing_keeps_order_and_reports_bad_bodies(read_input):
    out = responses.values_from_status_many(
        [read_input("status_procesando.json"), b"not json", read_input("status_rechazado_montos.json")]
    )
    assert [o.get("ind_estado") for o in out] == ["procesando", None, "rechazado"]
    assert out[1]["parse_error"]


def test_receiver_message_from_base64(read_input):
    xml = read_input("mr_v44_parcial.xml")
    vals = responses.values_from_message_xml(base64.b64encode(xml))
    assert vals["message_kind"] == "mensaje_receptor"
    assert vals["mensaje"] == "partially_accepted"


def test_bad_body_raises_parse_error():
    import hacienda_cr as hc

    with pytest.raises(hc.ParseError):
        responses.values_from_status(b'{"no": "clave"}')


def test_unknown_ind_estado_is_refused():
    with pytest.raises(ValueError, match="unknown ind-estado"):
        responses.document_state("perdido")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CLAVE, CLAVE),
        (CLAVE + "-00100001050000000001", CLAVE),
        ("123", None),
        ("5" * 50 + "x", None),
        ("", None),
    ],
)
def test_valid_clave(text, expected):
    assert responses.valid_clave(text) == expected


def test_classify_sources():
    rate = failures.classify(http_status=429)
    assert rate["error_category"] == "rate_limit" and rate["retryable"] is True
    net = failures.classify(transport="timeout")
    assert net["error_category"] == "network" and net["retryable"] is True
    sig = failures.classify(text="La firma del comprobante electrónico no es válida")
    assert sig["error_category"] == "signature" and sig["retryable"] is False
    ok = failures.classify(http_status=202)
    assert ok["error_category"] is False
    with pytest.raises(ValueError):
        failures.classify(http_status=500, transport="timeout")
    with pytest.raises(ValueError):
        failures.classify()


def test_classify_many_is_one_call_per_batch():
    out = failures.classify_many([{"http_status": 503}, {"transport": "dns"}, {"http_status": 401}])
    assert [o["error_category"] for o in out] == ["server", "network", "auth"]


def test_samples_of_the_odoo_tests_read_as_they_expect():
    """The addon's TransactionCase tests rely on these samples; check them here, without Odoo."""
    import importlib.util

    from conftest import ADDON

    spec = importlib.util.spec_from_file_location("l10n_cr_samples", ADDON / "tests" / "samples.py")
    samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(samples)
    import hacienda_cr as hc

    request = hc.build_submission(samples.signed_fe())
    assert request.clave == samples.CLAVE
    assert responses.valid_clave(samples.CLAVE_2) == samples.CLAVE_2
    rejected = responses.values_from_status(samples.status_body(state="rechazado"))
    assert rejected["ind_estado"] == "rechazado" and rejected["error_codes"] == "-54"
    assert rejected["message_kind"] == "mensaje_hacienda" and rejected["mensaje"] == "rejected"
    accepted = responses.values_from_status(samples.status_body(state="aceptado", callback=True))
    assert accepted["ind_estado"] == "aceptado" and accepted["mensaje"] == "accepted"
    assert accepted["error_codes"] == ""
    pending = responses.values_from_status(samples.status_body())
    assert pending["is_final"] is False
