"""Secrets never leak: a known password and every token the simulator issues are driven through
login, refresh, re-login, failures, faults and DEBUG logging, and then searched for in every
text the library produced (reprs, to_dict, exception texts and attributes, log records, the
process's stdout/stderr)."""

from __future__ import annotations

import inspect
import logging
from typing import Any

import pytest
from client_docs import clave, request

import hacienda_cr as hc
from hacienda_cr import errors
from hacienda_cr.testing import Simulator

PASSWORD = "S3cr3t-Pa55word-for-the-leak-test"
# Every access and refresh token of the simulator starts with these (see tests/simulator).
TOKEN_MARKERS = ("sim-at.", "sim-rt.")


def _texts(obj: Any) -> list[str]:
    """Every text a user could see of ``obj``."""
    out = [repr(obj), str(obj)]
    if hasattr(obj, "to_dict"):
        out.append(repr(obj.to_dict()))
    if isinstance(obj, BaseException):
        out += [repr(a) for a in obj.args]
        out += [repr(v) for v in vars(obj).values()]
        if obj.__cause__ is not None:
            out += _texts(obj.__cause__)
    return out


def _leaks(texts: list[str], secrets: tuple[str, ...]) -> list[str]:
    return [t[:200] for t in texts for s in secrets if s in t]


def test_no_secret_anywhere(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    seen: list[str] = []
    with Simulator(speed=200.0, processing_secs=(1.0, 2.0), rejection_rate=0.0) as sim:
        secrets = (sim.password, *TOKEN_MARKERS)
        client = hc.Client(username=sim.username, password=sim.password, environment=sim.url, timeout=5.0)
        seen += _texts(client)
        client.login()
        seen += _texts(client)
        result = client.submit(request(1))
        seen += _texts(result)
        sim.expire_access_tokens()  # next call refreshes
        seen += _texts(client.status(clave(1)))
        sim.expire_access_tokens()
        sim.expire_refresh_tokens()  # next call logs in again
        seen += _texts(client.status(clave(1)))
        assert client.token_stats["logins"] >= 2 and client.token_stats["refreshes"] >= 1
        seen += [repr(client.token_stats)]
        for answer in client.poll_many([clave(1), clave(2)], concurrency=2):
            seen += _texts(answer)
        # Failures: clock skew, server errors, Cloudflare pages, resets; a wrong password.
        for fault in ("clock_skew_401", "server_error", "cloudflare_520", "reset"):
            sim.set_faults({fault: 1.0})
            sim.expire_access_tokens()
            try:
                seen += _texts(client.status(clave(1)))
                seen += _texts(client.submit(request(2)))
            except hc.HaciendaError as e:
                seen += _texts(e)
        sim.set_faults({})
        wrong = "Wr0ng-Pa55word-also-secret"
        bad = hc.Client(username=sim.username, password=wrong, environment=sim.url, timeout=5.0)
        with pytest.raises(errors.ConfigurationError) as info:
            bad.login()
        seen += _texts(info.value) + _texts(bad)
        secrets = (*secrets, wrong)
        client.logout()
        seen += _texts(client)
        seen += _texts(sim)
    out, err = capfd.readouterr()
    seen += [out, err, caplog.text]
    seen += [r.getMessage() for r in caplog.records]
    assert not _leaks(seen, secrets)
    assert any("***" in t for t in seen), "secrets are shown masked, not silently dropped"


def test_tls_verification_cannot_be_switched_off() -> None:
    params = set(inspect.signature(hc.Client).parameters)
    assert not params & {"verify", "insecure", "danger_accept_invalid_certs", "tls_verify"}
    # Plain http is refused outside loopback; the named environments are https only.
    for env in ("http://api.comprobanteselectronicos.go.cr/recepcion/v1/", "http://10.0.0.1/"):
        with pytest.raises(errors.SettingsError):
            hc.Client(username="u", password=PASSWORD, environment=env)
    for env in ("sandbox", "production"):
        client = hc.Client(username="u", password=PASSWORD, environment=env)
        assert client.api_base.startswith("https://") and PASSWORD not in repr(client)
