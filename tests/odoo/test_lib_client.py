"""The addon's client glue (lib/client.py) against hacienda_cr.testing.Simulator: real HTTP
round trips on 127.0.0.1, then the values the models write and the retry queue's decision."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from l10n_cr_einvoice.lib import client as lib_client
from l10n_cr_einvoice.lib import queue, responses

import hacienda_cr as hc
from hacienda_cr.testing import Simulator

ISSUER = "3101234567"
POLICY = queue.policy_for({"l10n_cr_max_retry_attempts": 5})


def clave(n: int, code: int = 1) -> str:
    return f"50601012600{ISSUER}0010000101{n:010d}1{code:08d}"


def request(n: int, code: int = 1) -> hc.SubmissionRequest:
    xml = (
        '<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/'
        f'facturaElectronica"><Clave>{clave(n, code)}</Clave>'
        f"<NumeroConsecutivo>0010000101{n:010d}</NumeroConsecutivo>"
        "<FechaEmision>2026-01-01T10:00:00-06:00</FechaEmision>"
        f"<Emisor><Nombre>Ejemplo S.A.</Nombre><Identificacion><Tipo>02</Tipo><Numero>{ISSUER}"
        "</Numero></Identificacion></Emisor><Receptor><Nombre>Cliente</Nombre><Identificacion>"
        "<Tipo>01</Tipo><Numero>109870654</Numero></Identificacion></Receptor><ResumenFactura>"
        "<TotalImpuesto>130.00000</TotalImpuesto><TotalComprobante>1130.00000</TotalComprobante>"
        "</ResumenFactura></FacturaElectronica>"
    )
    return hc.build_submission(xml.encode())


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture(autouse=True)
def _fresh_cache():
    lib_client.invalidate()
    yield
    lib_client.invalidate()


def client_of(sim: Simulator, company_id: int = 1, **options):
    return lib_client.get_client(company_id, sim.url, sim.username, sim.password, **options)


def poll_until_final(client, keys: list[str]) -> list[dict[str, object]]:
    """What the polling cron does, run until every key has a final answer."""
    for _ in range(300):
        results = lib_client.poll_many(client, keys, now=now())
        if all(r["report"] is not None and r["report"].is_final for r in results):
            return results
        time.sleep(0.02)
    raise AssertionError("no final answer")


def test_submit_then_poll_many_until_accepted():
    with Simulator(speed=100, processing_secs=(1.0, 3.0), rejection_rate=0.0) as sim:
        client = client_of(sim)
        keys = []
        for n in (1, 2, 3):
            vals = lib_client.submit(client, request(n), now=now())
            assert vals["delivery"] == "received" and vals["may_have_it"] is True
            assert vals["error_category"] is False and vals["retry_after"] is None
            keys.append(clave(n))
        first = lib_client.poll_many(client, keys, now=now())
        assert [str(r["report"].state) for r in first] == ["procesando"] * 3
        results = poll_until_final(client, keys)
        for key, r in zip(keys, results, strict=True):
            vals = responses.values_from_report(r["report"])
            assert vals["clave"] == key and vals["ind_estado"] == "aceptado"
            assert vals["message_kind"] == "mensaje_hacienda" and vals["mensaje"] == "accepted"
            assert responses.document_state(vals["ind_estado"]) == "accepted"
        # Hacienda already has it: the second POST is answered "ya fue recibido", still polled
        again = lib_client.submit(client, request(1), now=now())
        assert again["delivery"] == "already_received" and again["may_have_it"] is True
        stats = sim.stats()
        assert stats["received"] == 3 and stats["duplicates"] == 1
        assert client.token_stats["logins"] == 1, "one login for the whole session"


def test_reused_consecutivo_is_rejected_with_minus_99():
    with Simulator(speed=100, processing_secs=(1.0, 2.0), rejection_rate=0.0) as sim:
        client = client_of(sim)
        assert lib_client.submit(client, request(7), now=now())["delivery"] == "received"
        # another clave (security code) with the same consecutivo
        assert lib_client.submit(client, request(7, code=2), now=now())["delivery"] == "received"
        [ok, reused] = poll_until_final(client, [clave(7), clave(7, code=2)])
        assert str(ok["report"].state) == "aceptado"
        vals = responses.values_from_report(reused["report"])
        assert vals["ind_estado"] == "rechazado"
        assert "-99" in str(vals["error_codes"]).split(",")
        assert vals["retryable"] is False and vals["hint_es"]
        assert responses.document_state(vals["ind_estado"]) == "rejected"


def test_429_retry_after_reaches_the_queue():
    with Simulator(speed=1, limits={"post": 1}) as sim:
        client = client_of(sim, max_rate_limit_wait=0.0)
        assert lib_client.submit(client, request(1), now=now())["delivery"] == "received"
        t = now()
        limited = lib_client.submit(client, request(2), now=t)
        assert limited["delivery"] == "failed" and limited["may_have_it"] is False
        assert limited["error_category"] == "rate_limit" and limited["retryable"] is True
        retry_after = limited["retry_after"]
        assert retry_after is not None and t < retry_after <= t + timedelta(seconds=61)
        entry = queue.on_failure({"id": 1}, limited, policy=POLICY, now=t, retry_after=retry_after)
        assert entry["state"] == "pending" and entry["error_category"] == "rate_limit"
        # the policy's delay (5 min x 2) is later than Retry-After, so it wins
        assert entry["next_attempt_at"] == t + timedelta(minutes=10)
        assert sim.stats()["received"] == 1


def test_outage_goes_to_the_retry_queue_with_the_library_backoff():
    with Simulator(speed=1, faults={"outage": [0.0, 3600.0]}) as sim:
        client = client_of(sim)
        t = now()
        failed = lib_client.submit(client, request(1), now=t)
        assert failed["delivery"] == "failed" and failed["may_have_it"] is False
        assert failed["error_category"] == "server" and failed["retryable"] is True
        entry = queue.on_failure({"id": 1}, failed, policy=POLICY, now=t, retry_after=failed["retry_after"])
        assert (entry["state"], entry["attempts"]) == ("pending", 1)
        assert entry["next_attempt_at"] == t + timedelta(minutes=7, seconds=30)  # 5 min x 1.5
        second = queue.on_failure(
            {"id": 1, "attempts": 1, "first_failure_at": t}, failed, policy=POLICY, now=t
        )
        assert second["next_attempt_at"] == t + timedelta(minutes=22, seconds=30)  # 15 min x 1.5
        [polled] = lib_client.poll_many(client, [clave(1)], now=t)
        assert polled["report"] is None and polled["not_found"] is False
        assert polled["error_category"] == "server"
        assert sim.document_count() == 0


def test_lost_answer_is_never_resubmitted():
    with Simulator(speed=100, faults={"reset": 1.0}) as sim:
        client = client_of(sim, timeout=2.0)
        vals = lib_client.submit(client, request(1), now=now())
        assert vals["delivery"] == "unknown" and vals["may_have_it"] is True
        assert vals["error_category"] == "network"
        assert sim.stats()["posts"] == 0
        [polled] = lib_client.poll_many(client, [clave(1)], now=now())
        assert polled["report"] is None and polled["error_category"] == "network"
        sim.set_faults({})
        # Hacienda does not have it: 404, the one answer that makes a resubmission safe
        [missing] = lib_client.poll_many(client, [clave(1)], now=now())
        assert missing["not_found"] is True and missing["report"] is None


def test_clients_are_cached_per_company_and_replaced_on_new_credentials():
    a = lib_client.get_client(1, "sandbox", "cpf-01@stag", "pw-one-secret")
    assert lib_client.get_client(1, "sandbox", "cpf-01@stag", "pw-one-secret") is a
    assert lib_client.get_client(2, "sandbox", "cpf-01@stag", "pw-one-secret") is not a
    assert lib_client.get_client(1, "production", "cpf-01@stag", "pw-one-secret") is not a
    b = lib_client.get_client(1, "sandbox", "cpf-01@stag", "pw-two-secret")
    assert b is not a
    assert lib_client.get_client(1, "sandbox", "cpf-01@stag", "pw-two-secret") is b
    assert lib_client.cached_count() == 3
    assert lib_client.invalidate(1) == 2
    assert lib_client.get_client(1, "sandbox", "cpf-01@stag", "pw-two-secret") is not b
    assert "pw-two-secret" not in repr(b)
    with pytest.raises(lib_client.MissingCredentials, match="not configured"):
        lib_client.get_client(1, "sandbox", "cpf-01@stag", "")
    verdict = lib_client.missing_credentials_verdict()
    assert verdict["error_category"] == "configuration"
    assert queue.on_failure({"id": 1}, verdict, policy=POLICY, now=now())["state"] == "failed"


def test_wrong_password_fails_every_key_without_showing_it():
    with Simulator(speed=100) as sim:
        client = lib_client.get_client(1, sim.url, sim.username, "wrong-pass-123")
        results = lib_client.poll_many(client, [clave(1), clave(2)], now=now())
        assert [r["error_category"] for r in results] == ["configuration", "configuration"]
        assert all(r["report"] is None for r in results)
        assert all("wrong-pass-123" not in str(r["reason"]) for r in results)
        assert lib_client.poll_many(client, [], now=now()) == []
