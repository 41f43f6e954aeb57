from types import SimpleNamespace
from unittest.mock import patch

import hacienda_cr as hc

from odoo.tests import TransactionCase

from . import samples


def answer(status=200, headers=None, body=b""):
    """A real ``hacienda_cr.StatusAnswer`` for a canned HTTP status answer."""
    return hc.read_status_response(status, headers or {}, body)


def submit_answer(status=202, headers=None, body=b""):
    """What ``Client.submit`` returns when Hacienda answered ``status`` (the library reads it)."""
    outcome = hc.read_submit_response(status, headers or {}, body)
    return SimpleNamespace(
        delivery=hc.Delivery(str(outcome.state)), outcome=outcome, classification=outcome.classification
    )


def lost(kind="timeout", delivery="failed"):
    """What ``Client.submit`` returns when no answer came back: ``failed`` when the library's
    status check found nothing (404), ``unknown`` when even that check failed."""
    return SimpleNamespace(
        delivery=hc.Delivery(delivery), outcome=None, classification=hc.classify_transport(kind)
    )


def network_error(kind="timeout"):
    """The exception instance ``Client.poll_many`` puts in place of a failed query."""
    return hc.ClassifiedError.from_classification(hc.classify_transport(kind))


class FakeClient:
    """Stands in for ``hacienda_cr.Client``: answers are queued per call kind (library objects
    built from canned HTTP answers); every call is recorded. The helpers' pytest suite runs
    the real client against ``hacienda_cr.testing.Simulator``."""

    def __init__(self):
        self.submits = []
        self.queries = []
        self.poll_calls = []  # (number of keys, concurrency) per poll_many call
        self.submit_answers = []
        self.status_answers = []

    def submit(self, request):
        self.submits.append(request.clave)
        return self.submit_answers.pop(0) if self.submit_answers else submit_answer(202)

    def poll_many(self, keys, concurrency=10):
        self.poll_calls.append((len(keys), concurrency))
        out = []
        for key in keys:
            self.queries.append(key)
            default = answer(200, {}, samples.status_body(key))
            out.append(self.status_answers.pop(0) if self.status_answers else default)
        return out


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
        self.hacienda = FakeClient()
        patcher = patch.object(
            self.registry["l10n_cr.einvoice.document"], "_l10n_cr_client", lambda _self: self.hacienda
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
