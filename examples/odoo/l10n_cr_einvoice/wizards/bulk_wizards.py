from datetime import timezone

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..lib import bulk as lib_bulk


class L10nCrBulkWizardMixin(models.AbstractModel):
    """Shared behaviour of the three bulk wizards: the selection, the library's plan, and
    running at once (small selections) or queueing a job for the triggered cron."""

    _name = "l10n_cr.bulk.wizard.mixin"
    _description = "Hacienda Bulk Wizard (shared)"
    _l10n_cr_operation = None
    _l10n_cr_eligible_states = ()

    document_ids = fields.Many2many(
        "l10n_cr.einvoice.document",
        string="Documents",
        default=lambda self: self._default_document_ids(),
    )
    eligible_count = fields.Integer(compute="_compute_plan")
    batch_count = fields.Integer(compute="_compute_plan")
    estimated_seconds = fields.Integer(compute="_compute_plan", string="Estimated Duration (s)")
    run_in_background = fields.Boolean(compute="_compute_plan")

    @api.model
    def _default_document_ids(self):
        if self.env.context.get("active_model") != "l10n_cr.einvoice.document":
            return []
        return [Command.set(self.env.context.get("active_ids", []))]

    def _eligible(self):
        return self.document_ids.filtered(lambda d: d.state in self._l10n_cr_eligible_states)

    @api.depends("document_ids")
    def _compute_plan(self):
        for wizard in self:
            docs = wizard._eligible()
            company = docs[:1].company_id or self.env.company
            batches = lib_bulk.plan(
                docs.ids,
                self._l10n_cr_operation,
                company._l10n_cr_settings(),
                now=fields.Datetime.now().replace(tzinfo=timezone.utc),
            )
            wizard.eligible_count = len(docs)
            wizard.batch_count = len(batches)
            wizard.estimated_seconds = int(batches[-1]["start_offset"]) if batches else 0
            wizard.run_in_background = not lib_bulk.run_now(len(docs))

    def action_confirm(self):
        self.ensure_one()
        docs = self._eligible()
        if not docs:
            raise UserError(self.env._("None of the selected documents can be processed by this operation."))
        job = self.env["l10n_cr.einvoice.bulk.job"].create_job(self._l10n_cr_operation, docs)
        if lib_bulk.run_now(len(docs)):
            job.run_now()
        return {
            "type": "ir.actions.act_window",
            "res_model": "l10n_cr.einvoice.bulk.job",
            "res_id": job.id,
            "view_mode": "form",
            "target": "current",
        }


class L10nCrBulkSignWizard(models.TransientModel):
    _name = "l10n_cr.bulk.sign.wizard"
    _inherit = ["l10n_cr.bulk.wizard.mixin"]
    _description = "Bulk Sign E-Invoices"
    _l10n_cr_operation = "sign"
    _l10n_cr_eligible_states = ("generated",)


class L10nCrBulkSubmitWizard(models.TransientModel):
    _name = "l10n_cr.bulk.submit.wizard"
    _inherit = ["l10n_cr.bulk.wizard.mixin"]
    _description = "Bulk Submit E-Invoices to Hacienda"
    _l10n_cr_operation = "submit"
    _l10n_cr_eligible_states = ("signed",)


class L10nCrBulkStatusWizard(models.TransientModel):
    _name = "l10n_cr.bulk.status.wizard"
    _inherit = ["l10n_cr.bulk.wizard.mixin"]
    _description = "Bulk Status Check (CSV export)"
    _l10n_cr_operation = "status"
    _l10n_cr_eligible_states = ("submitted", "accepted", "rejected", "error")
