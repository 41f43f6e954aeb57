"""hacienda_cr.Client against hacienda_cr.testing.Simulator: real HTTP on 127.0.0.1."""

from __future__ import annotations

import threading
import time

import pytest
from client_docs import clave, request

import hacienda_cr as hc
from hacienda_cr import errors, testing
from hacienda_cr.testing import Simulator, client_for

# The plugin's fixtures, made visible to this module.
hacienda_simulator = testing.hacienda_simulator
hacienda_client = testing.hacienda_client


def wait_final(client: hc.Client, key: str) -> hc.StatusAnswer:
    for _ in range(200):
        answer = client.status(key)
        if answer.report is not None and answer.report.is_final:
            return answer
        time.sleep(0.02)
    raise AssertionError(f"{key} never reached a final state")


def test_submit_poll_accept_and_duplicate(hacienda_simulator: Simulator, hacienda_client: hc.Client) -> None:
    req = request(1)
    r = hacienda_client.submit(req)
    assert r.delivery is hc.Delivery.RECEIVED and r.delivery == "received"
    assert r.is_received and r.key == req.clave
    assert r.outcome is not None and r.outcome.http_status == 202
    assert r.to_dict()["delivery"] == "received"
    answer = wait_final(hacienda_client, req.clave)
    assert answer.report is not None
    assert answer.report.state is hc.IndEstado.ACEPTADO
    assert answer.report.message is not None and answer.report.message.clave == req.clave
    again = hacienda_client.submit(req)
    assert again.delivery is hc.Delivery.ALREADY_RECEIVED
    assert again.classification is not None and again.classification.next_step is hc.NextStep.POLL
    stats = hacienda_simulator.stats()
    assert stats["received"] == 1 and stats["duplicates"] == 1


def test_rejection_codes_and_unknown_clave() -> None:
    with Simulator(speed=100, processing_secs=(1.0, 2.0), rejection_rate=1.0) as sim:
        client = client_for(sim)
        req = request(2)
        assert client.submit(req).is_received
        answer = wait_final(client, req.clave)
        assert answer.report is not None and answer.report.state is hc.IndEstado.RECHAZADO
        c = answer.classification
        assert c is not None and c.rule == "amounts" and {-45, -54} <= set(c.codes)
        missing = client.status(clave(77))
        assert missing.http_status == 404
        assert missing.classification is not None and missing.classification.rule == "not_found"


def test_secrets_are_masked() -> None:
    client = hc.Client(username="user@stag", password="hunter2-secret", environment="sandbox")
    shown = repr(client)
    assert "hunter2" not in shown and "***" in shown and "user@stag" in shown
    assert client.api_base.startswith("https://api-sandbox.comprobanteselectronicos.go.cr/")
    with Simulator() as sim:
        assert sim.password not in repr(sim)
        bad = hc.Client(username=sim.username, password="wrong-pass-123", environment=sim.url)
        with pytest.raises(errors.ConfigurationError) as info:
            bad.login()
        assert "wrong-pass-123" not in str(info.value) and "wrong-pass-123" not in repr(info.value)
        assert info.value.classification.rule == "invalid_credentials"


def test_plain_http_only_on_loopback() -> None:
    with pytest.raises(errors.SettingsError):
        hc.Client(username="u", password="p", environment="http://api.example.com/")


def test_poll_many_concurrent_and_gil_released() -> None:
    with Simulator(speed=100, latency_ms=200, processing_secs=(1.0, 2.0)) as sim:
        client = client_for(sim)
        reqs = [request(n) for n in range(20)]
        assert all(r.is_received for r in client.submit_many(reqs, concurrency=20))
        keys = [r.clave for r in reqs]
        ticks = 0
        done = threading.Event()

        def spin() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                time.sleep(0.001)

        spinner = threading.Thread(target=spin)
        spinner.start()
        t0 = time.perf_counter()
        answers = client.poll_many(keys, concurrency=20)
        elapsed = time.perf_counter() - t0
        done.set()
        spinner.join()
        assert elapsed < 1.0, f"20 polls at 200 ms, all at once, took {elapsed:.2f} s"
        assert ticks > 20, "another Python thread ran while the client waited on the network"
        assert [a.report.clave for a in answers if isinstance(a, hc.StatusAnswer) and a.report] == keys


def test_faults_become_exceptions_and_classifications() -> None:
    with Simulator(speed=100, faults={"reset": 1.0}) as sim:
        client = client_for(sim)
        with pytest.raises(errors.NetworkError) as info:
            client.status(clave(1))
        assert info.value.classification.rule == "connection_reset"
        [item] = client.poll_many([clave(1)])
        assert isinstance(item, errors.NetworkError)
        r = client.submit(request(1))
        assert r.delivery is hc.Delivery.UNKNOWN, "an ambiguous POST is never resent blindly"
        assert sim.stats()["posts"] == 0
        sim.set_faults({"cloudflare_520": 1.0})
        answer = client.status(clave(1))
        assert answer.http_status == 520
        assert answer.classification is not None and answer.classification.rule == "cloudflare_origin"
        sim.set_faults({"hang": 1.0, "hang_secs": 2.0})
        quick = client_for(sim, timeout=0.5)
        confirmed = quick.submit(request(3))
        assert confirmed.delivery is hc.Delivery.RECEIVED
        assert confirmed.verified is not None and confirmed.verified.http_status == 200
        assert sim.stats()["posts"] == 1


def test_rate_limit_429_and_pacing() -> None:
    with Simulator(speed=1, limits={"post": 2}) as sim:
        client = client_for(sim, max_rate_limit_wait=0.0)
        assert client.submit(request(1)).is_received and client.submit(request(2)).is_received
        limited = client.submit(request(3))
        assert limited.delivery is hc.Delivery.FAILED
        assert limited.outcome is not None and limited.outcome.http_status == 429
        assert (
            limited.classification is not None
            and limited.classification.category is hc.ErrorCategory.RATE_LIMIT
        )


def test_tokens_refresh_and_relogin() -> None:
    with Simulator(speed=100) as sim:
        client = client_for(sim)
        client.login()
        sim.expire_access_tokens()
        assert client.status(clave(1)).http_status == 404
        assert client.token_stats == {"logins": 1, "refreshes": 1}
        sim.expire_access_tokens()
        sim.expire_refresh_tokens()
        assert client.status(clave(1)).http_status == 404
        assert client.token_stats["logins"] == 2
        client.logout()
        assert sim.stats()["logouts"] == 1


def test_receiver_message_and_comprobantes(hacienda_client: hc.Client) -> None:
    for n in range(10, 17):
        assert hacienda_client.submit(request(n)).is_received
    page = hacienda_client.list_comprobantes(offset=0, limit=5)
    assert page.http_status == 206 and page.range == (0, 4, 7)
    assert [i["clave"] for i in page.items] == [clave(n) for n in range(10, 15)]
    mr = (
        '<MensajeReceptor xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeReceptor">'
        f"<Clave>{clave(10)}</Clave><NumeroCedulaEmisor>206920142</NumeroCedulaEmisor>"
        "<FechaEmisionDoc>2024-04-01T10:00:00-06:00</FechaEmisionDoc><Mensaje>1</Mensaje>"
        "<MontoTotalImpuesto>130.00000</MontoTotalImpuesto><TotalFactura>1130.00000</TotalFactura>"
        "<NumeroCedulaReceptor>3101123456</NumeroCedulaReceptor>"
        "<NumeroConsecutivoReceptor>00100001050000000001</NumeroConsecutivoReceptor></MensajeReceptor>"
    )
    req = hc.build_submission(mr.encode(), emisor_id_type="01", receptor_id_type="02")
    assert req.status_key == f"{clave(10)}-00100001050000000001"
    assert hacienda_client.submit(req).is_received
    answer = wait_final(hacienda_client, req.status_key)
    assert answer.report is not None and answer.report.clave == req.status_key


def test_simulator_lifecycle_and_bad_config() -> None:
    with pytest.raises(ValueError, match="speed"):
        Simulator(speed=0)
    with pytest.raises(ValueError, match="faults"):
        Simulator(faults={"reset": "often"})
    sim = Simulator()
    client = client_for(sim, connect_timeout=2.0)
    sim.stop()
    sim.stop()
    with pytest.raises(RuntimeError):
        sim.stats()
    with pytest.raises(errors.NetworkError):
        client.login()
