import base64
import csv
import io
import json
import logging
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import bulk as lib_bulk

_logger = logging.getLogger(__name__)

OPERATION = [("sign", "Bulk Sign"), ("submit", "Bulk Submit"), ("status", "Bulk Status Check")]
STATE = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("cancelled", "Cancelled")]


class EinvoiceBulkJob(models.Model):
    """A bulk operation too big for one HTTP request, run by a triggered cron in the batches
    of the library's plan; its counters are the progress the user sees."""

    _name = "l10n_cr.einvoice.bulk.job"
    _description = "Hacienda Bulk Operation"
    _order = "id desc"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    operation = fields.Selection(OPERATION, required=True)
    state = fields.Selection(STATE, default="queued", required=True, index=True)
    document_ids = fields.Many2many("l10n_cr.einvoice.document", string="Documents")
    total_count = fields.Integer()
    done_count = fields.Integer()
    failed_count = fields.Integer()
    remaining_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress")
    plan_json = fields.Text(help="Batches and start offsets computed by hacienda_cr.")
    next_batch = fields.Integer(default=0)
    started_at = fields.Datetime()
    finished_at = fields.Datetime()
    result_rows_json = fields.Text(default="[]")
    result_csv = fields.Binary(string="CSV", attachment=True)
    result_csv_filename = fields.Char()

    @api.depends("total_count", "done_count", "failed_count")
    def _compute_progress(self):
        for job in self:
            p = lib_bulk.progress(job.total_count, job.done_count, job.failed_count)
            job.remaining_count = p["remaining"]
            job.progress = p["percent"]

    @api.model
    def create_job(self, operation, documents):
        """Plan ``operation`` on ``documents`` with hacienda_cr and queue it for the cron."""
        company = documents[:1].company_id or self.env.company
        now = fields.Datetime.now()
        batches = lib_bulk.plan(
            documents.ids, operation, company._l10n_cr_settings(), now=now.replace(tzinfo=timezone.utc)
        )
        job = self.create(
            {
                "name": f"{dict(OPERATION)[operation]} ({len(documents)})",
                "company_id": company.id,
                "operation": operation,
                "document_ids": [fields.Command.set(documents.ids)],
                "total_count": len(documents),
                "plan_json": json.dumps(
                    [{"ids": b["ids"], "start_offset": b["start_offset"]} for b in batches]
                ),
            }
        )
        self.env.ref("l10n_cr_einvoice.ir_cron_run_bulk_jobs").sudo()._trigger()
        return job

    def _run_one(self, doc):
        """One document of the job; True on success. Failures of a document never stop the
        job: they are counted (and queued for retry by the document's own methods)."""
        try:
            with self.env.cr.savepoint():
                if self.operation == "sign":
                    return doc._l10n_cr_sign_one()
                if self.operation == "submit":
                    return doc._l10n_cr_submit_one()
                return doc._l10n_cr_poll_one()
        except Exception as e:  # pylint: disable=broad-except
            _logger.info("bulk %s of document %s failed: %s", self.operation, doc.id, type(e).__name__)
            doc.last_error = str(e)
            return False

    def _poll_batch(self, docs):
        """A status-check batch: one ``Client.poll_many`` call (concurrent, GIL released) for
        the submitted documents; ``{id: answered}``. Others go one by one through ``_run_one``."""
        try:
            with self.env.cr.savepoint():
                return docs._l10n_cr_poll_batch()
        except Exception as e:  # pylint: disable=broad-except
            _logger.info("bulk status batch failed: %s", type(e).__name__)
            return {}

    def _run_batch(self, ids):
        """Run one batch; returns (done, failed)."""
        docs = self.env["l10n_cr.einvoice.document"].browse(ids).exists()
        done = failed = 0
        rows = json.loads(self.result_rows_json or "[]")
        polled = self._poll_batch(docs) if self.operation == "status" else {}
        for doc in docs:
            ok = polled[doc.id] if doc.id in polled else self._run_one(doc)
            if self.operation == "status":
                rows.append([doc.name, doc.clave or "", doc.state, doc.error_codes or "", doc.hint or ""])
            done += bool(ok)
            failed += not ok
        self.result_rows_json = json.dumps(rows)
        return done, failed

    def _finish(self):
        vals = {"state": "done", "finished_at": fields.Datetime.now()}
        if self.operation == "status":
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["document", "clave", "state", "error_codes", "hint"])
            writer.writerows(json.loads(self.result_rows_json or "[]"))
            vals["result_csv"] = base64.b64encode(out.getvalue().encode("utf-8"))
            vals["result_csv_filename"] = f"hacienda_status_{self.id}.csv"
        self.write(vals)

    def run_now(self):
        """Run every batch at once (small selections)."""
        for job in self:
            job.write({"state": "running", "started_at": fields.Datetime.now()})
            for batch in json.loads(job.plan_json or "[]"):
                done, failed = job._run_batch(batch["ids"])
                job.write({"done_count": job.done_count + done, "failed_count": job.failed_count + failed})
            job.next_batch = len(json.loads(job.plan_json or "[]"))
            job._finish()

    @api.model
    def _cron_run_bulk_jobs(self):
        """Triggered cron: run the batches whose start offset has come, commit after each, and
        re-trigger at the next batch's start time."""
        cron = self.env["ir.cron"]
        cron_rec = self.env.ref("l10n_cr_einvoice.ir_cron_run_bulk_jobs")
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE state IN ('queued', 'running') ORDER BY id FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
            )
        )
        for job in self.browse([r[0] for r in self.env.cr.fetchall()]):
            if job.state == "queued":
                job.write({"state": "running", "started_at": fields.Datetime.now()})
            plan = json.loads(job.plan_json or "[]")
            while job.next_batch < len(plan):
                # re-lock after each commit (a commit releases row locks)
                self.env.cr.execute(
                    SQL(
                        "SELECT state FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED",
                        SQL.identifier(self._table),
                        job.id,
                    )
                )
                row = self.env.cr.fetchone()
                if not row or row[0] == "cancelled":
                    break
                batch = plan[job.next_batch]
                start = job.started_at + timedelta(seconds=batch["start_offset"])
                if start > fields.Datetime.now():
                    cron_rec._trigger(start)
                    break
                done, failed = job._run_batch(batch["ids"])
                job.write(
                    {
                        "done_count": job.done_count + done,
                        "failed_count": job.failed_count + failed,
                        "next_batch": job.next_batch + 1,
                    }
                )
                if cron._commit_progress(done + failed) <= 0:
                    cron_rec._trigger()
                    return
            if job.state != "cancelled" and job.next_batch >= len(plan):
                job._finish()
                cron._commit_progress(0)

    def action_cancel(self):
        self.filtered(lambda j: j.state in ("queued", "running")).write({"state": "cancelled"})
        return True

    @api.model
    def get_running_jobs(self):
        jobs = self.search([("state", "in", ("queued", "running"))], limit=10)
        return [
            {
                "id": j.id,
                "name": j.name,
                "state": j.state,
                "done": j.done_count,
                "failed": j.failed_count,
                "remaining": j.remaining_count,
                "progress": j.progress,
            }
            for j in jobs
        ]
