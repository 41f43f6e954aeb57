from unittest.mock import patch

from odoo.tests import TransactionCase

from ..lib.transport import Answer, TransportFailure
from . import samples


class FakeTransport:
    """Stands in for Hacienda: answers are queued per call kind; every call is recorded."""

    def __init__(self):
        self.submits = []
        self.queries = []
        self.submit_answers = []
        self.status_answers = []

    def submit(self, payload_json):
        self.submits.append(payload_json)
        return self._next(self.submit_answers, Answer(202, {}, b""))

    def status(self, status_key):
        self.queries.append(status_key)
        return self._next(self.status_answers, Answer(200, {}, samples.status_body(status_key)))

    @staticmethod
    def _next(queue, default):
        answer = queue.pop(0) if queue else default
        if isinstance(answer, TransportFailure):
            raise answer
        return answer


class HaciendaCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"l10n_cr_store_responses": True, "l10n_cr_auto_retry_enabled": True})
        cls.Document = cls.env["l10n_cr.einvoice.document"]
        cls.Queue = cls.env["l10n_cr.einvoice.retry.queue"]
        cls.Message = cls.env["l10n_cr.hacienda.response.message"]

    def setUp(self):
        super().setUp()
        self.hacienda = FakeTransport()
        patcher = patch.object(
            self.registry["l10n_cr.einvoice.document"], "_l10n_cr_transport", lambda _self: self.hacienda
        )
        patcher.start()
        self.addCleanup(patcher.stop)
        # _commit_progress commits, which a test cursor forbids: record the calls instead
        self.progress = []
        commit = patch.object(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda _cron, processed=0, remaining=None, deactivate=False: (
                self.progress.append((processed, remaining)) or float("inf")
            ),
        )
        commit.start()
        self.addCleanup(commit.stop)

    def make_signed(self, clave=samples.CLAVE, number=1):
        return self.Document.create(
            {
                "name": f"FE {number}",
                "clave": clave,
                "state": "signed",
                "signed_xml": samples.signed_fe(clave, number),
            }
        )

    def make_submitted(self, clave=samples.CLAVE, number=1):
        doc = self.make_signed(clave, number)
        doc.action_submit_to_hacienda_with_retry()
        self.assertEqual(doc.state, "submitted")
        return doc
