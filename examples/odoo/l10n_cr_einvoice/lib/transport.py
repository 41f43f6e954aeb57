"""Minimal HTTP transport to Hacienda (IdP token + recepcion), used by the addon's models.

Host-side I/O only: every answer is interpreted by ``hacienda_cr`` (see :mod:`.failures`).
When the installed ``hacienda_cr`` ships its own ``Client`` (rustls, token refresh, bounded
concurrent polling), :func:`make_transport` prefers it. Passwords and tokens are never logged
nor put in exception texts or reprs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

ENVIRONMENTS = {
    "sandbox": {
        "token_url": "https://idp.comprobanteselectronicos.go.cr/auth/realms/rut-stag/protocol/openid-connect/token",
        "client_id": "api-stag",
        "base_url": "https://api-sandbox.comprobanteselectronicos.go.cr/recepcion/v1/",
    },
    "production": {
        "token_url": "https://idp.comprobanteselectronicos.go.cr/auth/realms/rut/protocol/openid-connect/token",
        "client_id": "api-prod",
        "base_url": "https://api.comprobanteselectronicos.go.cr/recepcion/v1/",
    },
}


class TransportFailure(Exception):
    """A failure below HTTP; ``kind`` is a ``hacienda_cr.TransportError`` value."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


@dataclass
class Answer:
    """An HTTP answer: status, headers, body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class RequestsTransport:
    """Hacienda over ``requests`` (shipped with Odoo). One token per instance."""

    environment: str
    username: str
    password: str = field(repr=False)
    timeout: float = 30.0
    _token: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"RequestsTransport(environment={self.environment!r}, username={self.username!r}, password=***)"
        )

    @property
    def _env(self) -> dict[str, str]:
        try:
            return ENVIRONMENTS[self.environment]
        except KeyError:
            raise TransportFailure("other", f"unknown environment {self.environment!r}") from None

    def _call(self, method: str, url: str, **kwargs: Any) -> Answer:
        import requests

        try:
            r = requests.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise TransportFailure("timeout") from None
        except requests.exceptions.SSLError:
            raise TransportFailure("tls") from None
        except requests.ConnectionError as e:
            kind = "dns" if "Name or service" in str(e) else "connection_refused"
            raise TransportFailure(kind) from None
        return Answer(r.status_code, dict(r.headers), r.content)

    def _bearer(self) -> dict[str, str]:
        if self._token is None:
            env = self._env
            answer = self._call(
                "POST",
                env["token_url"],
                data={
                    "grant_type": "password",
                    "client_id": env["client_id"],
                    "username": self.username,
                    "password": self.password,
                },
            )
            if answer.status != 200:
                raise TransportFailure("other", f"token request answered HTTP {answer.status}")
            self._token = json.loads(answer.body)["access_token"]
        return {"Authorization": f"Bearer {self._token}"}

    def submit(self, payload_json: str) -> Answer:
        """POST a submission built by ``hacienda_cr.build_submission(...).to_json()``."""
        headers = {**self._bearer(), "Content-Type": "application/json"}
        return self._call("POST", self._env["base_url"] + "recepcion", data=payload_json, headers=headers)

    def status(self, status_key: str) -> Answer:
        """GET the status of a clave (or ``clave-consecutivo`` for receiver messages)."""
        return self._call("GET", self._env["base_url"] + "recepcion/" + status_key, headers=self._bearer())


def make_transport(environment: str, username: str, password: str) -> RequestsTransport:
    """The transport for a company's credentials."""
    if not username or not password:
        raise TransportFailure("other", "Hacienda credentials are not configured")
    return RequestsTransport(environment=environment, username=username, password=password)
