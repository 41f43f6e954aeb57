import json
import logging
from datetime import timedelta, timezone

import hacienda_cr as hc

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..lib import client as lib_client
from ..lib import failures as lib_failures
from ..lib import polling as lib_polling
from ..lib import responses as lib_responses
from ..lib import stats as lib_stats
from .hacienda_response_message import ERROR_CATEGORY, IND_ESTADO

_logger = logging.getLogger(__name__)
UTC = timezone.utc

STATE = [
    ("generated", "Generated"),
    ("signed", "Signed"),
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("error", "Error"),
]
DOCUMENT_TYPE = [
    ("factura_electronica", "Factura Electrónica (01)"),
    ("nota_debito_electronica", "Nota de Débito (02)"),
    ("nota_credito_electronica", "Nota de Crédito (03)"),
    ("tiquete_electronico", "Tiquete Electrónico (04)"),
    ("confirmacion_aceptacion", "Confirmación de Aceptación (05)"),
    ("confirmacion_aceptacion_parcial", "Aceptación Parcial (06)"),
    ("confirmacion_rechazo", "Confirmación de Rechazo (07)"),
    ("factura_electronica_compra", "Factura de Compra (08)"),
    ("factura_electronica_exportacion", "Factura de Exportación (09)"),
    ("recibo_electronico_pago", "Recibo de Pago (10)"),
]
BREAKER = hc.CircuitBreaker()  # 5 outage failures open it for 60 s, then one probe


def _now():
    return fields.Datetime.now().replace(tzinfo=UTC)


def _aware(value):
    return value.replace(tzinfo=UTC) if value else None


class EinvoiceDocument(models.Model):
    _name = "l10n_cr.einvoice.document"
    _description = "Costa Rica Electronic Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, default="/", copy=False, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_id = fields.Many2one("account.move", string="Invoice", index=True, ondelete="set null")
    clave = fields.Char(index=True, copy=False, tracking=True, help="The 50-digit clave of the document.")
    consecutivo = fields.Char(copy=False)
    document_type = fields.Selection(DOCUMENT_TYPE, default="factura_electronica", required=True)
    xml_content = fields.Text(string="XML", copy=False)
    signed_xml = fields.Text(string="Signed XML", copy=False)
    state = fields.Selection(STATE, default="generated", required=True, index=True, tracking=True, copy=False)
    ind_estado = fields.Selection(IND_ESTADO, string="Hacienda State", copy=False, help="Last ind-estado.")
    submitted_at = fields.Datetime(string="Submitted On", copy=False)
    answered_at = fields.Datetime(string="Answered On", copy=False)
    last_poll_at = fields.Datetime(string="Last Status Query", copy=False)
    poll_count = fields.Integer(copy=False)
    next_poll_at = fields.Datetime(string="Next Status Query", copy=False)
    needs_attention = fields.Boolean(
        copy=False, help="Hacienda gave no final answer within the maximum polling time."
    )
    delivery_unconfirmed = fields.Boolean(
        copy=False,
        help="The submission's answer was lost and even the status check failed: Hacienda may "
        "have the document. It is polled, never resubmitted, until Hacienda says it does not "
        "have it (404).",
    )
    error_category = fields.Selection(ERROR_CATEGORY, copy=False)
    last_error = fields.Text(copy=False)
    hint = fields.Char(string="What To Do", copy=False)
    error_codes = fields.Char(copy=False)
    response_message_ids = fields.One2many(
        "l10n_cr.hacienda.response.message", "document_id", string="Hacienda Responses"
    )
    retry_queue_ids = fields.One2many("l10n_cr.einvoice.retry.queue", "document_id")
    response_count = fields.Integer(compute="_compute_counts")
    retry_count = fields.Integer(compute="_compute_counts")

    _clave_company_unique = models.Constraint(
        "UNIQUE(clave, company_id)",
        "A clave can only be used once per company.",
    )
    _check_poll_count = models.Constraint(
        "CHECK(poll_count >= 0)",
        "The poll count cannot be negative.",
    )

    @api.depends("response_message_ids", "retry_queue_ids.state")
    def _compute_counts(self):
        for doc in self:
            doc.response_count = len(doc.response_message_ids)
            doc.retry_count = len(
                doc.retry_queue_ids.filtered(lambda e: e.state in ("pending", "processing"))
            )

    @api.constrains("clave")
    def _check_clave(self):
        for doc in self:
            if doc.clave and lib_responses.valid_clave(doc.clave) != doc.clave:
                raise ValidationError(
                    self.env._("The clave %(clave)s is not a valid 50-digit clave.", clave=doc.clave)
                )

    # ------------------------------------------------------------------ client and hooks
    def _l10n_cr_client(self):
        """The company's ``hacienda_cr.Client``, cached in this worker process and replaced when
        the credentials change. Raises ``lib.client.MissingCredentials`` without credentials."""
        company = self.company_id.sudo()
        return lib_client.get_client(
            company.id,
            company.l10n_cr_hacienda_environment or "sandbox",
            company.l10n_cr_hacienda_username or "",
            company.l10n_cr_hacienda_password or "",
        )

    def _l10n_cr_callback_url(self):
        company = self.company_id.sudo()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        if not base or not base.startswith("https://"):
            return None  # Hacienda only calls back over HTTPS
        return f"{base}/l10n_cr_einvoice/callback/{company.id}/{company._l10n_cr_get_callback_token()}"

    def _l10n_cr_sign_xml(self):
        """Hook: return the signed XML of ``self.xml_content``. The signing module overrides it."""
        raise UserError(
            self.env._(
                "No signing module is installed: install the module that signs Costa Rica "
                "e-invoices (XAdES-EPES with the company's certificate) to sign documents."
            )
        )

    def _l10n_cr_run_operation(self, operation):
        """Run one operation for the retry queue; True on success."""
        self.ensure_one()
        if operation == "sign":
            return self._l10n_cr_sign_one()
        if operation == "submit":
            return self._l10n_cr_submit_one()
        if operation in ("poll", "receiver_message"):
            return self._l10n_cr_poll_one()
        raise UserError(self.env._("Unknown operation %(op)s", op=operation))

    # ------------------------------------------------------------------ signing
    def _l10n_cr_sign_one(self):
        self.ensure_one()
        if self.state != "generated":
            return True  # signed meanwhile
        if not self.xml_content:
            raise UserError(self.env._("Document %(name)s has no XML to sign.", name=self.display_name))
        self.signed_xml = self._l10n_cr_sign_xml()
        summary = hc.read_any(self.signed_xml)
        self.write({"state": "signed", "clave": self.clave or summary.clave})
        return True

    def action_sign_xml_with_retry(self):
        for doc in self.filtered(lambda d: d.state == "generated"):
            try:
                doc._l10n_cr_sign_one()
            except UserError:
                raise
            except Exception as e:  # pylint: disable=broad-except
                doc._add_to_retry_queue("sign", lib_failures.classify(text=str(e)))
        return True

    # ------------------------------------------------------------------ submission
    def _l10n_cr_breaker(self, method, *args):
        """Run one hacienda_cr circuit-breaker call on the company's stored state."""
        company = self.company_id.sudo()
        decision = getattr(BREAKER, method)(company.l10n_cr_breaker_state or None, _now(), *args)
        if decision.stored != (company.l10n_cr_breaker_state or {}):
            company.l10n_cr_breaker_state = decision.stored
        return decision

    def _l10n_cr_submit_one(self):
        """Submit once. True when Hacienda received it (or already had it)."""
        self.ensure_one()
        if self.state in ("submitted", "accepted", "rejected"):
            return True  # Hacienda has it: never submit twice
        if self.state != "signed":
            raise UserError(self.env._("Document %(name)s is not signed.", name=self.display_name))
        gate = self._l10n_cr_breaker("allow")
        if not gate.allowed:
            verdict = lib_failures.classify(http_status=503)
            verdict["reason"] = self.env._(
                "Hacienda is failing: submissions are paused (circuit breaker open)."
            )
            self._add_to_retry_queue("submit", verdict, retry_after=gate.retry_at)
            return False
        request = hc.build_submission(self.signed_xml, callback_url=self._l10n_cr_callback_url())
        try:
            client = self._l10n_cr_client()
        except lib_client.MissingCredentials:
            self._add_to_retry_queue("submit", lib_client.missing_credentials_verdict())
            return False
        result = lib_client.submit(client, request, now=_now())
        if result["may_have_it"]:
            # received, already received, or unknown (the answer was lost and the check failed):
            # Hacienda has or may have it, so the document is polled and never submitted again
            confirmed = result["delivery"] != "unknown"
            if confirmed:
                self._l10n_cr_breaker("on_success")
            now = fields.Datetime.now()
            self.write(
                {
                    "state": "submitted",
                    "ind_estado": "recibido" if confirmed else False,
                    "delivery_unconfirmed": not confirmed,
                    "clave": self.clave or request.clave,
                    "submitted_at": self.submitted_at or now,
                    "poll_count": 0,
                    "last_poll_at": False,
                    "needs_attention": False,
                    "next_poll_at": now + timedelta(seconds=5),
                    "last_error": False if confirmed else result["reason"],
                }
            )
            self._l10n_cr_trigger_poll(now + timedelta(seconds=5))
            return True
        self._l10n_cr_breaker("on_failure", result["error_category"] or "unknown")
        self._add_to_retry_queue("submit", result, retry_after=result["retry_after"])
        return False

    def _l10n_cr_trigger_poll(self, at):
        """Wake the polling cron for the first, fast status queries (Hacienda usually decides
        within seconds)."""
        cron = self.env.ref("l10n_cr_einvoice.ir_cron_poll_pending_documents", raise_if_not_found=False)
        if not cron:
            return
        # one wake-up is enough: a run before `at` plans the next one itself (next_due_at)
        pending = (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count(
                [("cron_id", "=", cron.id), ("call_at", ">=", fields.Datetime.now()), ("call_at", "<=", at)],
                limit=1,
            )
        )
        if not pending:
            cron.sudo()._trigger(at)

    def action_submit_to_hacienda_with_retry(self):
        for doc in self.filtered(lambda d: d.state == "signed"):
            doc._l10n_cr_submit_one()
        return True

    # ------------------------------------------------------------------ answers
    def _l10n_cr_poll_one(self):
        """Query the status once and process the answer. True when Hacienda answered (final or
        not); False when the query failed (the failure is then in the retry queue)."""
        self.ensure_one()
        return self._l10n_cr_poll_batch().get(self.id, True)

    def _l10n_cr_poll_batch(self):
        """Query the status of the submitted documents in ``self`` with one
        ``Client.poll_many`` call per company (concurrent, GIL released) and process every
        answer. Returns ``{id: answered}``."""
        done = {}
        docs = self.filtered(lambda d: d.state == "submitted" and d.clave)
        for company in docs.company_id:
            batch = docs.filtered(lambda d, c=company: d.company_id == c)
            try:
                client = batch[:1]._l10n_cr_client()
            except lib_client.MissingCredentials:
                for doc in batch:
                    doc._l10n_cr_note_poll()
                    doc._add_to_retry_queue("poll", lib_client.missing_credentials_verdict())
                    done[doc.id] = False
                continue
            results = lib_client.poll_many(client, batch.mapped("clave"), now=_now())
            for doc, result in zip(batch, results, strict=True):
                done[doc.id] = doc._l10n_cr_apply_status(result)
        return done

    def _l10n_cr_apply_status(self, result):
        """Apply one status query result (values from ``lib.client.status_values``)."""
        self.ensure_one()
        self._l10n_cr_note_poll()
        if result["not_found"] and self.delivery_unconfirmed:
            # the lost submission never reached Hacienda: now it is safe to submit again
            self.write({"state": "signed", "delivery_unconfirmed": False, "ind_estado": False})
            self._add_to_retry_queue("submit", result, retry_after=result["retry_after"])
            return False
        if result["report"] is None:
            self._add_to_retry_queue("poll", result, retry_after=result["retry_after"])
            return False
        report = result["report"]
        vals = lib_responses.values_from_report(report)
        self._process_hacienda_response(vals, json.dumps(report.to_dict(), default=str), source="poll")
        return True

    def _l10n_cr_note_poll(self):
        now = fields.Datetime.now()
        count = self.poll_count + 1
        nxt = lib_polling.next_poll(
            {
                "submitted_at": _aware(self.submitted_at or now),
                "last_poll_at": _aware(now),
                "poll_count": count,
                "ind_estado": self.ind_estado,
            },
            self.company_id._l10n_cr_settings(),
        )
        self.write({"poll_count": count, "last_poll_at": now, "next_poll_at": nxt.replace(tzinfo=None)})

    def _process_hacienda_response(self, vals, body, source="poll"):
        """Apply one parsed answer (values from ``lib.responses``) to the document."""
        self.ensure_one()
        if vals.get("clave") and self.clave and vals["clave"] != self.clave:
            raise UserError(self.env._("The answer is for another clave (%(c)s).", c=vals["clave"]))
        message = self._store_response_message(vals, body, source)
        state = lib_responses.document_state(vals["ind_estado"])
        update = {"state": state, "ind_estado": vals["ind_estado"], "delivery_unconfirmed": False}
        if vals["is_final"]:
            update.update(
                answered_at=fields.Datetime.now(),
                next_poll_at=False,
                needs_attention=False,
                error_category=vals.get("error_category") or False,
                hint=vals.get("hint_es") or vals.get("hint_en") or False,
                error_codes=vals.get("error_codes") or False,
                last_error=vals.get("detail_summary") or False,
            )
            self.sudo().retry_queue_ids.filtered(
                lambda e: e.operation == "poll" and e.state == "pending"
            ).write({"state": "done", "next_attempt_at": False})
        self.write(update)
        if state in ("rejected", "error"):
            self.message_post(
                body=self.env._(
                    "Hacienda answered %(state)s: %(hint)s",
                    state=vals["ind_estado"],
                    hint=update.get("hint") or "",
                )
            )
        return message

    def _store_response_message(self, vals, body, source="poll"):
        """Store the answer if the company keeps responses (always for final answers)."""
        self.ensure_one()
        if not (self.company_id.l10n_cr_store_responses or vals.get("is_final")):
            return self.env["l10n_cr.hacienda.response.message"]
        # bookkeeping: billing users only read responses, so the addon writes them itself
        Message = self.env["l10n_cr.hacienda.response.message"].sudo()
        return Message.create(Message._values_for_create(vals, body, self, source, self.company_id))

    def _add_to_retry_queue(self, operation, verdict, retry_after=None):
        self.ensure_one()
        self.write(
            {
                "error_category": verdict.get("error_category") or False,
                "last_error": verdict.get("reason") or False,
                "hint": verdict.get("hint_es") or verdict.get("hint_en") or False,
            }
        )
        # bookkeeping: billing users only read the queue, so the addon writes it itself
        return (
            self.env["l10n_cr.einvoice.retry.queue"]
            .sudo()
            .add_to_queue(self, operation, verdict, retry_after)
        )

    # ------------------------------------------------------------------ polling cron
    @api.model
    def _cron_poll_pending_documents(self):
        """Cron (every 15 min, and triggered for the first polls): for each company,
        hacienda_cr picks the documents due for a status query (adaptive first polls, oldest
        due first, batch size); they are row-locked with ``FOR UPDATE SKIP LOCKED``, polled,
        and committed per batch. Documents past the maximum polling time leave polling as
        "needs attention". When more are due than time allows, the remaining count makes Odoo
        run the cron again at once; the next due instant becomes a trigger."""
        cron = self.env["ir.cron"]
        for company in self.env["res.company"].search([("l10n_cr_auto_polling_enabled", "=", True)]):
            settings = company._l10n_cr_settings()
            while True:
                plan = lib_polling.plan(self._l10n_cr_polling_rows(company), settings, now=_now())
                if plan.expired:
                    self.browse(plan.expired).write({"needs_attention": True, "next_poll_at": False})
                docs = self._l10n_cr_lock(plan.batch)
                docs._l10n_cr_poll_batch()
                if plan.next_due_at and not plan.more:
                    self._l10n_cr_trigger_poll(plan.next_due_at.astimezone(UTC).replace(tzinfo=None))
                remaining = plan.due_count - len(docs) if plan.more else 0
                if cron._commit_progress(len(docs), remaining=remaining) <= 0 or not plan.more or not docs:
                    break

    @api.model
    def _l10n_cr_polling_rows(self, company):
        self.env.cr.execute(
            SQL(
                """SELECT id, ind_estado, submitted_at, last_poll_at, poll_count FROM %s
                   WHERE company_id = %s AND state = 'submitted' AND submitted_at IS NOT NULL
                     AND NOT COALESCE(needs_attention, FALSE)""",
                SQL.identifier(self._table),
                company.id,
            )
        )
        return [
            {
                "id": r[0],
                "ind_estado": r[1],
                "submitted_at": _aware(r[2]),
                "last_poll_at": _aware(r[3]),
                "poll_count": r[4] or 0,
            }
            for r in self.env.cr.fetchall()
        ]

    @api.model
    def _l10n_cr_lock(self, ids):
        """Row-lock ``ids`` (skipping rows another worker holds); the locked records."""
        if not ids:
            return self.browse()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                tuple(ids),
            )
        )
        locked = {r[0] for r in self.env.cr.fetchall()}
        return self.browse([i for i in ids if i in locked])

    # ------------------------------------------------------------------ smart buttons, dashboard
    def action_view_response_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "l10n_cr_einvoice.action_hacienda_response_message"
        )
        action["domain"] = [("document_id", "=", self.id)]
        action["context"] = {"default_document_id": self.id}
        return action

    def action_view_retry_queue(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("l10n_cr_einvoice.action_einvoice_retry_queue")
        action["domain"] = [("document_id", "=", self.id)]
        return action

    def action_poll_now(self):
        self._l10n_cr_poll_batch()
        return True

    @api.model
    def get_dashboard_statistics(self):
        """Everything the dashboard shows for the current companies: documents by state
        (``_read_group``), and from hacienda_cr the acceptance rate, average and p95 answer
        time, today's activity, pending work, retry queue and response statistics; plus the
        running bulk operations."""
        domain = [("company_id", "in", self.env.companies.ids)]
        rows = self.search_read(domain, ["state", "ind_estado", "submitted_at", "answered_at"])
        for row in rows:
            row["submitted_at"] = _aware(row["submitted_at"])
            row["answered_at"] = _aware(row["answered_at"])
        Queue = self.env["l10n_cr.einvoice.retry.queue"]
        queue_size = Queue.search_count(domain + [("state", "in", ("pending", "processing"))])
        stats = lib_stats.dashboard(rows, now=_now(), retry_queue_size=queue_size)
        by_state = dict.fromkeys(dict(STATE), 0)
        for state, count in self._read_group(domain, groupby=["state"], aggregates=["__count"]):
            by_state[state] = count
        stats["by_state"] = by_state
        stats["to_submit"] = by_state["signed"]
        stats["needs_attention"] = self.search_count(
            domain + [("needs_attention", "=", True), ("state", "=", "submitted")]
        )
        stats["responses"] = self.env["l10n_cr.hacienda.response.message"].get_statistics(domain)
        stats["queue"] = Queue.get_queue_statistics(domain)
        stats["jobs"] = self.env["l10n_cr.einvoice.bulk.job"].get_running_jobs()
        return stats
