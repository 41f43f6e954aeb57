from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_cr_auto_polling_enabled = fields.Boolean(
        related="company_id.l10n_cr_auto_polling_enabled", readonly=False
    )
    l10n_cr_polling_interval = fields.Integer(related="company_id.l10n_cr_polling_interval", readonly=False)
    l10n_cr_polling_max_hours = fields.Integer(related="company_id.l10n_cr_polling_max_hours", readonly=False)
    l10n_cr_polling_batch_size = fields.Integer(
        related="company_id.l10n_cr_polling_batch_size", readonly=False
    )
    l10n_cr_batch_size = fields.Integer(related="company_id.l10n_cr_batch_size", readonly=False)
    l10n_cr_batch_delay = fields.Integer(related="company_id.l10n_cr_batch_delay", readonly=False)
    l10n_cr_max_concurrent_batches = fields.Integer(
        related="company_id.l10n_cr_max_concurrent_batches", readonly=False
    )
    l10n_cr_auto_retry_enabled = fields.Boolean(
        related="company_id.l10n_cr_auto_retry_enabled", readonly=False
    )
    l10n_cr_max_retry_attempts = fields.Integer(
        related="company_id.l10n_cr_max_retry_attempts", readonly=False
    )
    l10n_cr_store_responses = fields.Boolean(related="company_id.l10n_cr_store_responses", readonly=False)
    l10n_cr_response_retention_days = fields.Integer(
        related="company_id.l10n_cr_response_retention_days", readonly=False
    )
    l10n_cr_hacienda_environment = fields.Selection(
        related="company_id.l10n_cr_hacienda_environment",
        readonly=False,
        groups="account.group_account_manager",
    )
    l10n_cr_hacienda_username = fields.Char(
        related="company_id.l10n_cr_hacienda_username",
        readonly=False,
        groups="account.group_account_manager",
    )
    # Write-only: typed here, stored on the company, never read back into the form.
    l10n_cr_hacienda_password_new = fields.Char(
        string="New Hacienda API Password",
        groups="account.group_account_manager",
        help="Leave empty to keep the stored password. The stored password is never displayed.",
    )
    l10n_cr_hacienda_password_set = fields.Boolean(
        string="Password Stored",
        compute="_compute_l10n_cr_hacienda_password_set",
        groups="account.group_account_manager",
    )

    def _compute_l10n_cr_hacienda_password_set(self):
        for wizard in self:
            wizard.l10n_cr_hacienda_password_set = bool(wizard.company_id.sudo().l10n_cr_hacienda_password)

    def set_values(self):
        res = super().set_values()
        for wizard in self:
            if wizard.l10n_cr_hacienda_password_new:
                wizard.company_id.l10n_cr_hacienda_password = wizard.l10n_cr_hacienda_password_new
                wizard.l10n_cr_hacienda_password_new = False
        return res
