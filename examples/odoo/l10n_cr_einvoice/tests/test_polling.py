from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from . import samples
from .common import HaciendaCase, answer


@tagged("post_install", "-at_install")
class TestPolling(HaciendaCase):
    def _age(self, doc, **delta):
        doc.write({"submitted_at": fields.Datetime.now() - timedelta(**delta)})

    def test_cron_polls_due_documents_until_final(self):
        doc = self.make_submitted()
        self._age(doc, minutes=1)
        self.hacienda.status_answers.append(answer(200, {}, samples.status_body(state="aceptado")))
        self.Document._cron_poll_pending_documents()
        self.assertEqual(self.hacienda.queries, [samples.CLAVE])
        self.assertEqual(doc.state, "accepted")
        self.assertEqual(doc.poll_count, 1)
        self.Document._cron_poll_pending_documents()
        self.assertEqual(len(self.hacienda.queries), 1, "final documents are not polled again")

    def test_one_poll_many_call_per_batch(self):
        docs = self.make_submitted() | self.make_submitted(samples.CLAVE_2, 2)
        for doc in docs:
            self._age(doc, minutes=1)
        self.Document._cron_poll_pending_documents()
        self.assertEqual(self.hacienda.poll_calls, [(2, 2)])
        self.assertEqual(sorted(self.hacienda.queries), sorted(docs.mapped("clave")))
        self.assertEqual(docs.mapped("poll_count"), [1, 1])

    def test_not_yet_due_documents_wait(self):
        doc = self.make_submitted()
        doc.write({"last_poll_at": fields.Datetime.now(), "poll_count": 9})
        self._age(doc, hours=2)
        self.Document._cron_poll_pending_documents()
        self.assertEqual(self.hacienda.queries, [])

    def test_documents_past_max_hours_need_attention(self):
        doc = self.make_submitted()
        self._age(doc, hours=30)
        self.Document._cron_poll_pending_documents()
        self.assertTrue(doc.needs_attention)
        self.assertEqual(self.hacienda.queries, [])

    def test_polling_disabled(self):
        self.company.l10n_cr_auto_polling_enabled = False
        doc = self.make_submitted()
        self._age(doc, minutes=5)
        self.Document._cron_poll_pending_documents()
        self.assertEqual(self.hacienda.queries, [])

    def test_callback_answer_stops_polling(self):
        doc = self.make_submitted()
        from ..lib import responses

        vals = responses.values_from_status(samples.status_body(state="rechazado", callback=True))
        doc._process_hacienda_response(
            vals, samples.status_body(state="rechazado", callback=True), "callback"
        )
        self.assertEqual(doc.state, "rejected")
        self._age(doc, minutes=5)
        self.Document._cron_poll_pending_documents()
        self.assertEqual(self.hacienda.queries, [])
        self.assertEqual(doc.response_message_ids.source, "callback")

    def test_dashboard_statistics(self):
        accepted = self.make_submitted()
        self.hacienda.status_answers.append(answer(200, {}, samples.status_body(state="aceptado")))
        accepted.action_poll_now()
        self.make_submitted(samples.CLAVE_2, 2)
        stats = self.Document.get_dashboard_statistics()
        self.assertGreaterEqual(stats["by_state"]["accepted"], 1)
        self.assertGreaterEqual(stats["awaiting_answer"], 1)
        self.assertIn("retry_queue_size", stats)
