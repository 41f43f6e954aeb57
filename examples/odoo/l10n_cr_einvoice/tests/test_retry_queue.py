from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models.einvoice_document import EinvoiceDocument
from .common import HaciendaCase, answer, lost, network_error, submit_answer


@tagged("post_install", "-at_install")
class TestRetryQueue(HaciendaCase):
    def test_timeout_on_submit_is_queued_with_backoff(self):
        doc = self.make_signed()
        self.hacienda.submit_answers.append(lost("timeout"))
        before = fields.Datetime.now()
        doc.action_submit_to_hacienda_with_retry()
        self.assertEqual(doc.state, "signed")
        entry = doc.retry_queue_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual((entry.operation, entry.state, entry.attempts), ("submit", "pending", 1))
        self.assertEqual(entry.error_category, "network")
        # network: 5 min x 1.5
        delay = entry.next_attempt_at - before
        self.assertGreaterEqual(delay, timedelta(minutes=7, seconds=29))
        self.assertLessEqual(delay, timedelta(minutes=8))

    def test_rate_limit_honours_retry_after(self):
        doc = self.make_signed()
        self.hacienda.submit_answers.append(submit_answer(429, {"Retry-After": "3600"}, b""))
        doc.action_submit_to_hacienda_with_retry()
        entry = doc.retry_queue_ids
        self.assertEqual(entry.error_category, "rate_limit")
        self.assertGreaterEqual(entry.next_attempt_at, fields.Datetime.now() + timedelta(minutes=59))

    def test_already_received_is_never_resubmitted(self):
        doc = self.make_signed()
        self.hacienda.submit_answers.append(
            submit_answer(400, {"X-Error-Cause": "El comprobante ya fue recibido anteriormente"}, b"")
        )
        doc.action_submit_to_hacienda_with_retry()
        self.assertEqual(doc.state, "submitted")
        self.assertFalse(doc.retry_queue_ids)
        doc.action_submit_to_hacienda_with_retry()
        self.assertEqual(len(self.hacienda.submits), 1)

    def test_cron_retries_due_entries_and_marks_them_done(self):
        doc = self.make_signed()
        self.hacienda.submit_answers.append(lost("connection_refused"))
        doc.action_submit_to_hacienda_with_retry()
        entry = doc.retry_queue_ids
        entry.next_attempt_at = fields.Datetime.now() - timedelta(seconds=1)
        self.Queue._cron_process_retry_queue()
        self.assertEqual(entry.state, "done")
        self.assertEqual(doc.state, "submitted")
        self.assertEqual(len(self.hacienda.submits), 2)

    def test_signature_failure_gives_up_and_notifies_managers(self):
        manager = self.env["res.users"].create(
            {
                "name": "Billing admin",
                "login": "cr_billing_admin",
                "group_ids": [(4, self.env.ref("account.group_account_manager").id)],
            }
        )
        doc = self.make_signed()
        self.hacienda.submit_answers.append(
            submit_answer(400, {"X-Error-Cause": "La firma del comprobante electrónico no es válida"}, b"")
        )
        doc.action_submit_to_hacienda_with_retry()
        entry = doc.retry_queue_ids
        self.assertEqual(entry.state, "failed")
        self.assertEqual(entry.error_category, "signature")
        self.assertIn(manager, doc.activity_ids.user_id)

    def test_retry_now_and_cancel(self):
        doc = self.make_signed()
        self.hacienda.submit_answers += [lost("timeout"), lost("timeout")]
        doc.action_submit_to_hacienda_with_retry()
        entry = doc.retry_queue_ids
        entry.action_retry_now()
        self.assertEqual(entry.attempts, 2)
        self.assertEqual(entry.state, "pending")
        entry.action_cancel()
        self.assertEqual(entry.state, "cancelled")
        stats = self.Queue.get_queue_statistics([("id", "=", entry.id)])
        self.assertEqual(stats["by_state"]["cancelled"], 1)
        self.assertEqual(stats["total"], 1)

    def test_cleanup_old_entries(self):
        doc = self.make_signed()
        self.hacienda.submit_answers.append(lost("timeout"))
        doc.action_submit_to_hacienda_with_retry()
        entry = doc.retry_queue_ids
        entry.action_cancel()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE l10n_cr_einvoice_retry_queue SET write_date = now() - interval '40 days' WHERE id = %s",
            [entry.id],
        )
        self.env.invalidate_all()
        self.Queue._cleanup_old_entries(days=30)
        self.assertFalse(entry.exists())

    def test_lost_answer_is_polled_then_resubmitted_only_after_404(self):
        doc = self.make_signed()
        self.hacienda.submit_answers.append(lost("connection_reset", delivery="unknown"))
        doc.action_submit_to_hacienda_with_retry()
        self.assertEqual(doc.state, "submitted", "Hacienda may have it: poll, never resubmit")
        self.assertTrue(doc.delivery_unconfirmed)
        self.assertFalse(doc.retry_queue_ids)
        doc.action_submit_to_hacienda_with_retry()
        self.assertEqual(len(self.hacienda.submits), 1)
        self.hacienda.status_answers.append(answer(404, {}, b"No existe el recurso"))
        doc.action_poll_now()
        self.assertEqual(doc.state, "signed")
        self.assertFalse(doc.delivery_unconfirmed)
        entry = doc.retry_queue_ids
        self.assertEqual((entry.operation, entry.state), ("submit", "pending"))

    def test_failed_status_query_is_queued_as_poll(self):
        doc = self.make_submitted()
        self.hacienda.status_answers.append(network_error("timeout"))
        doc.action_poll_now()
        self.assertEqual(doc.state, "submitted")
        entry = doc.retry_queue_ids
        self.assertEqual((entry.operation, entry.error_category), ("poll", "network"))

    def test_missing_credentials_give_up_with_a_configuration_error(self):
        doc = self.make_signed()
        self.company.sudo().write({"l10n_cr_hacienda_username": False, "l10n_cr_hacienda_password": False})
        # the real method (not the test double): the company's empty credentials
        with patch.object(type(doc), "_l10n_cr_client", EinvoiceDocument._l10n_cr_client):
            doc.action_submit_to_hacienda_with_retry()
        entry = doc.retry_queue_ids
        self.assertEqual((entry.state, entry.error_category), ("failed", "configuration"))
