from odoo.tests import tagged

from . import samples
from .common import HaciendaCase, lost


@tagged("post_install", "-at_install")
class TestBulk(HaciendaCase):
    def _wizard(self, model, docs):
        return (
            self.env[model]
            .with_context(active_model="l10n_cr.einvoice.document", active_ids=docs.ids)
            .create({})
        )

    def test_small_bulk_submit_runs_at_once(self):
        docs = self.make_signed() | self.make_signed(samples.CLAVE_2, 2)
        wizard = self._wizard("l10n_cr.bulk.submit.wizard", docs)
        self.assertEqual(wizard.eligible_count, 2)
        self.assertFalse(wizard.run_in_background)
        action = wizard.action_confirm()
        job = self.env["l10n_cr.einvoice.bulk.job"].browse(action["res_id"])
        self.assertEqual(job.state, "done")
        self.assertEqual((job.done_count, job.failed_count, job.remaining_count), (2, 0, 0))
        self.assertEqual(set(docs.mapped("state")), {"submitted"})

    def test_failures_are_counted_not_fatal(self):
        docs = self.make_signed() | self.make_signed(samples.CLAVE_2, 2)
        self.hacienda.submit_answers.append(lost("timeout"))
        job = self.env["l10n_cr.einvoice.bulk.job"].create_job("submit", docs)
        job.run_now()
        self.assertEqual((job.done_count, job.failed_count), (1, 1))
        self.assertEqual(len(docs.retry_queue_ids), 1)

    def test_bulk_sign_without_signing_module_fails_cleanly(self):
        doc = self.Document.create({"name": "FE", "xml_content": "<FacturaElectronica/>"})
        job = self.env["l10n_cr.einvoice.bulk.job"].create_job("sign", doc)
        job.run_now()
        self.assertEqual(job.failed_count, 1)
        self.assertIn("signing module", doc.last_error)

    def test_status_check_exports_csv_and_cron_runs_queued_jobs(self):
        docs = self.make_submitted() | self.make_submitted(samples.CLAVE_2, 2)
        job = self.env["l10n_cr.einvoice.bulk.job"].create_job("status", docs)
        self.assertEqual(job.state, "queued")
        self.env["l10n_cr.einvoice.bulk.job"]._cron_run_bulk_jobs()
        self.assertEqual(job.state, "done")
        self.assertEqual(job.done_count, 2)
        self.assertTrue(job.result_csv)
        self.assertEqual(job.result_csv_filename, f"hacienda_status_{job.id}.csv")
