import logging
import random
from datetime import timedelta, timezone

import hacienda_cr as hc

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..lib import failures as lib_failures
from ..lib import queue as lib_queue
from .hacienda_response_message import ERROR_CATEGORY

_logger = logging.getLogger(__name__)
UTC = timezone.utc

OPERATION = [
    ("sign", "Sign"),
    ("submit", "Submit"),
    ("poll", "Status Query"),
    ("receiver_message", "Receiver Message"),
]
STATE = [
    ("pending", "Pending"),
    ("processing", "Processing"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]


def _aware(value):
    """Odoo datetimes are naive UTC; the library wants aware ones."""
    return value.replace(tzinfo=UTC) if value else None


def _naive(value):
    return value.astimezone(UTC).replace(tzinfo=None) if value else False


def _now():
    return fields.Datetime.now().replace(tzinfo=UTC)


class EinvoiceRetryQueue(models.Model):
    _name = "l10n_cr.einvoice.retry.queue"
    _description = "Hacienda Retry Queue Entry"
    _order = "priority desc, next_attempt_at, id"

    document_id = fields.Many2one("l10n_cr.einvoice.document", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)
    clave = fields.Char(related="document_id.clave")
    operation = fields.Selection(OPERATION, required=True)
    state = fields.Selection(STATE, default="pending", required=True, index=True)
    priority = fields.Integer(default=10, help="Higher numbers are processed first.")
    attempts = fields.Integer(default=0)
    max_attempts = fields.Integer(related="company_id.l10n_cr_max_retry_attempts")
    next_attempt_at = fields.Datetime(index=True)
    first_failure_at = fields.Datetime()
    error_category = fields.Selection(ERROR_CATEGORY)
    last_error = fields.Text()
    give_up_reason = fields.Char()
    hint_es = fields.Char(string="Hint (es)")
    hint_en = fields.Char(string="Hint (en)")

    _unique_open_operation = models.UniqueIndex(
        "(document_id, operation) WHERE state IN ('pending', 'processing')",
        "A document already has an open retry entry for this operation.",
    )
    _check_attempts = models.Constraint(
        "CHECK(attempts >= 0)",
        "The number of attempts cannot be negative.",
    )

    @api.depends("document_id", "operation")
    def _compute_display_name(self):
        labels = dict(OPERATION)
        for rec in self:
            rec.display_name = f"{rec.document_id.display_name} / {labels.get(rec.operation, '')}"

    # ------------------------------------------------------------------ queue API
    @api.model
    def classify_error(self, **failure):
        """Classification values of a failure (``http_status``/``error_cause``/``body``,
        ``transport`` or ``text``), computed by hacienda_cr."""
        return lib_failures.classify(**failure)

    @api.model
    def add_to_queue(self, document, operation, verdict, retry_after=None):
        """Record a failure of ``operation`` on ``document``: reschedule or give up.

        Reuses the document's open entry for the operation if there is one. Returns the entry.
        """
        entry = self.search(
            [
                ("document_id", "=", document.id),
                ("operation", "=", operation),
                ("state", "in", ("pending", "processing")),
            ],
            limit=1,
        )
        if not entry:
            entry = self.create(
                {
                    "document_id": document.id,
                    "operation": operation,
                    "priority": lib_queue.OPERATION_PRIORITY[operation],
                    "attempts": 0,
                }
            )
        entry._apply_failure(verdict, retry_after=retry_after)
        return entry

    def _row(self):
        """This entry as the dict the helpers (and hacienda_cr) read."""
        self.ensure_one()
        return {
            "id": self.id,
            "document_ref": self.document_id.clave or str(self.document_id.id),
            "operation": self.operation,
            "created_at": _aware(self.create_date) or _now(),
            "attempts": self.attempts,
            "error_category": self.error_category,
            "priority": self.priority,
            "next_attempt_at": _aware(self.next_attempt_at),
            "state": self.state,
            "first_failure_at": _aware(self.first_failure_at),
            "updated_at": _aware(self.write_date),
        }

    def _apply_failure(self, verdict, retry_after=None):
        """Record one more failure; hacienda_cr's policy reschedules or gives up."""
        self.ensure_one()
        vals = lib_queue.on_failure(
            self._row(),
            verdict,
            policy=lib_queue.policy_for(self.document_id.company_id._l10n_cr_settings()),
            now=_now(),
            sample=random.random(),  # jitter sample, not a secret
            retry_after=retry_after,
        )
        notify = vals.pop("notify")
        for key in ("next_attempt_at", "first_failure_at"):
            vals[key] = _naive(vals.get(key))
        vals["hint_es"] = verdict.get("hint_es") or False
        vals["hint_en"] = verdict.get("hint_en") or False
        self.write(vals)
        if notify:
            self._notify_retry_failure()

    def _notify_retry_failure(self):
        """Schedule a to-do activity on the document for every account manager of its company."""
        group = self.env.ref("account.group_account_manager")
        todo = self.env.ref("mail.mail_activity_data_todo")
        for entry in self:
            users = group.all_user_ids.filtered(lambda u, e=entry: e.company_id in u.company_ids)
            note = self.env._(
                "Hacienda %(operation)s gave up after %(attempts)s attempts: %(reason)s. %(hint)s",
                operation=dict(OPERATION).get(entry.operation),
                attempts=entry.attempts,
                reason=entry.give_up_reason or entry.error_category or "",
                hint=entry.hint_es or entry.hint_en or "",
            )
            for user in users:
                entry.document_id.activity_schedule(
                    activity_type_id=todo.id,
                    summary=self.env._("Hacienda: action needed"),
                    note=note,
                    user_id=user.id,
                )
            entry.document_id.message_post(body=note)

    # ------------------------------------------------------------------ processing
    def _process_retry(self):
        """Run each entry's operation once; record success or the new failure."""
        done = failed = 0
        for entry in self:
            entry.state = "processing"
            document = entry.document_id
            try:
                with self.env.cr.savepoint():
                    ok = document._l10n_cr_run_operation(entry.operation)
            except Exception as e:  # pylint: disable=broad-except
                _logger.info(
                    "retry of %s for document %s failed: %s", entry.operation, document.id, type(e).__name__
                )
                entry.state = "pending"
                entry._apply_failure(lib_failures.classify(text=str(e)))
                failed += 1
                continue
            if ok:
                entry.write(self._naive_vals(lib_queue.on_success(entry._row(), _now())))
                done += 1
            else:
                # the operation recorded its classified failure on this entry (add_to_queue)
                failed += 1
        return done, failed

    @api.model
    def _l10n_cr_pick_and_lock(self, limit):
        """Due entries chosen by hacienda_cr (priority, then due time), then row-locked with
        ``FOR UPDATE SKIP LOCKED`` so two cron workers never take the same entry."""
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """SELECT id, priority, next_attempt_at, state, operation, create_date FROM %s
                   WHERE state = 'pending' AND next_attempt_at <= %s
                   ORDER BY priority DESC, next_attempt_at, id LIMIT %s""",
                SQL.identifier(self._table),
                now,
                limit * 4 + 1,
            )
        )
        rows = [
            {
                "id": r[0],
                "priority": r[1],
                "next_attempt_at": _aware(r[2]),
                "state": r[3],
                "operation": r[4],
                "created_at": _aware(r[5]),
            }
            for r in self.env.cr.fetchall()
        ]
        ids, more = lib_queue.pick_due(rows, now=now.replace(tzinfo=UTC), limit=limit)
        if not ids:
            return self.browse(), False
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s AND state = 'pending' FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                tuple(ids),
            )
        )
        locked = {r[0] for r in self.env.cr.fetchall()}
        return self.browse([i for i in ids if i in locked]), more

    @api.model
    def _cron_process_retry_queue(self, batch_size=50):
        """Cron (every 5 min): process due entries in batches, commit per batch; when more are
        due than time allows, the remaining count makes Odoo run the cron again at once."""
        cron = self.env["ir.cron"]
        while True:
            entries, more = self._l10n_cr_pick_and_lock(batch_size)
            if not entries:
                break
            entries._process_retry()
            remaining = self.search_count(
                [("state", "=", "pending"), ("next_attempt_at", "<=", fields.Datetime.now())]
            )
            if cron._commit_progress(len(entries), remaining=remaining) <= 0 or not more:
                break

    # ------------------------------------------------------------------ buttons
    @staticmethod
    def _naive_vals(vals):
        return {k: _naive(v) if k.endswith("_at") else v for k, v in vals.items()}

    def action_retry_now(self):
        for entry in self:
            try:
                vals = lib_queue.on_retry_now(entry._row(), _now())
            except (ValueError, hc.HaciendaError) as e:
                raise UserError(str(e)) from None
            entry.write(self._naive_vals(vals))
        self._process_retry()
        return True

    def action_cancel(self):
        for entry in self:
            try:
                entry.write(self._naive_vals(lib_queue.on_cancel(entry._row(), _now())))
            except (ValueError, hc.HaciendaError) as e:
                raise UserError(str(e)) from None
        return True

    # ------------------------------------------------------------------ statistics, cleanup
    @api.model
    def get_queue_statistics(self, domain=None):
        rows = [entry._row() for entry in self.search(domain or [])]
        stats = lib_queue.statistics(rows, now=_now())
        stats["oldest_due_at"] = _naive(stats["oldest_due_at"])
        return stats

    @api.model
    def _cleanup_old_entries(self, days=30, batch_size=1000):
        """Cron (daily 03:00): delete finished entries older than ``days``, in batches."""
        cron = self.env["ir.cron"]
        limit = fields.Datetime.now() - timedelta(days=days)
        domain = [("state", "in", ("done", "failed", "cancelled")), ("write_date", "<", limit)]
        while True:
            rows = [entry._row() for entry in self.search(domain, limit=batch_size)]
            ids = lib_queue.cleanup_candidates(rows, now=_now(), days=days)
            if not ids:
                break
            self.browse(ids).unlink()
            if cron._commit_progress(len(ids), remaining=self.search_count(domain)) <= 0:
                break
