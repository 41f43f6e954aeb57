import hmac
import json
import logging

import hacienda_cr as hc

from odoo import http
from odoo.http import request

from ..lib import responses as lib_responses

_logger = logging.getLogger(__name__)


class HaciendaCallbackController(http.Controller):
    """Receives Hacienda's ``callbackUrl`` POST (JSON with ``clave``, ``ind-estado`` and, when
    final, ``respuesta-xml``). The URL carries a per-company secret token; the clave must be
    well formed and belong to a submitted document of that company. The answer is parsed by
    hacienda_cr and stored like a polled one, so polling stops early."""

    @http.route(
        "/l10n_cr_einvoice/callback/<int:company_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def hacienda_callback(self, company_id, token, **_kwargs):
        env = request.env(su=True)
        company = env["res.company"].browse(company_id).exists()
        expected = company.l10n_cr_callback_token if company else None
        if not expected or not hmac.compare_digest(str(expected), str(token)):
            return self._answer(404, "unknown callback")
        body = request.httprequest.get_data(cache=False, as_text=False)
        try:
            vals = lib_responses.values_from_status(body)
        except hc.HaciendaError as e:
            _logger.info("Hacienda callback for company %s refused: %s", company_id, e)
            return self._answer(400, "not a Hacienda status answer")
        clave = lib_responses.valid_clave(str(vals.get("clave") or ""))
        if not clave:
            return self._answer(400, "invalid clave")
        document = env["l10n_cr.einvoice.document"].search(
            [("company_id", "=", company.id), ("clave", "=", clave)], limit=1
        )
        if not document:
            return self._answer(404, "unknown clave")
        if document.state == "submitted":
            document._process_hacienda_response(vals, body, source="callback")
        return self._answer(200, "ok")

    @staticmethod
    def _answer(status, message):
        return request.make_response(
            json.dumps({"status": message}),
            headers=[("Content-Type", "application/json")],
            status=status,
        )
