import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import client as lib_client
from ..lib import settings as lib_settings

D = lib_settings.DEFAULTS
CREDENTIAL_FIELDS = (
    "l10n_cr_hacienda_environment",
    "l10n_cr_hacienda_username",
    "l10n_cr_hacienda_password",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_cr_auto_polling_enabled = fields.Boolean(
        string="Automatic Polling", default=D["l10n_cr_auto_polling_enabled"]
    )
    l10n_cr_polling_interval = fields.Integer(
        string="Polling Interval (minutes)", default=D["l10n_cr_polling_interval"]
    )
    l10n_cr_polling_max_hours = fields.Integer(
        string="Maximum Polling Time (hours)", default=D["l10n_cr_polling_max_hours"]
    )
    l10n_cr_polling_batch_size = fields.Integer(
        string="Polling Batch Size", default=D["l10n_cr_polling_batch_size"]
    )
    l10n_cr_batch_size = fields.Integer(string="Bulk Batch Size", default=D["l10n_cr_batch_size"])
    l10n_cr_batch_delay = fields.Integer(
        string="Delay Between Batches (seconds)", default=D["l10n_cr_batch_delay"]
    )
    l10n_cr_max_concurrent_batches = fields.Integer(
        string="Concurrent Batches", default=D["l10n_cr_max_concurrent_batches"]
    )
    l10n_cr_auto_retry_enabled = fields.Boolean(
        string="Automatic Retries", default=D["l10n_cr_auto_retry_enabled"]
    )
    l10n_cr_max_retry_attempts = fields.Integer(
        string="Maximum Retry Attempts", default=D["l10n_cr_max_retry_attempts"]
    )
    l10n_cr_store_responses = fields.Boolean(
        string="Store Hacienda Responses", default=D["l10n_cr_store_responses"]
    )
    l10n_cr_response_retention_days = fields.Integer(
        string="Response Retention (days)", default=D["l10n_cr_response_retention_days"]
    )

    # Credentials: readable and writable by account managers only, never shown back.
    l10n_cr_hacienda_environment = fields.Selection(
        [("sandbox", "Sandbox (pruebas)"), ("production", "Production")],
        string="Hacienda Environment",
        default="sandbox",
        groups="account.group_account_manager",
    )
    l10n_cr_hacienda_username = fields.Char(
        string="Hacienda API User", groups="account.group_account_manager", copy=False
    )
    l10n_cr_hacienda_password = fields.Char(
        string="Hacienda API Password", groups="account.group_account_manager", copy=False
    )
    l10n_cr_callback_token = fields.Char(
        string="Callback Token",
        groups="account.group_account_manager",
        copy=False,
        help="Secret part of the callback URL given to Hacienda; answers to other URLs are refused.",
    )
    # Host-stored state of hacienda_cr's circuit breaker (closed / open / half_open).
    l10n_cr_breaker_state = fields.Json(string="Hacienda Circuit Breaker", copy=False)

    @api.constrains(*D.keys())
    def _check_l10n_cr_settings(self):
        for company in self:
            problems = lib_settings.validate(company._l10n_cr_settings())
            if problems:
                raise ValidationError("\n".join(problems))

    def write(self, vals):
        res = super().write(vals)
        if any(name in vals for name in CREDENTIAL_FIELDS):
            # this worker drops the old client at once; other workers notice the changed
            # credentials on their next call (lib.client compares a keyed fingerprint)
            for company in self:
                lib_client.invalidate(company.id)
        return res

    def _l10n_cr_get_callback_token(self):
        """The company's callback secret, created on first use (one per company)."""
        self.ensure_one()
        company = self.sudo()
        if not company.l10n_cr_callback_token:
            company.l10n_cr_callback_token = secrets.token_urlsafe(24)
        return company.l10n_cr_callback_token

    def _l10n_cr_settings(self):
        """The company's ``l10n_cr_*`` settings as a plain dict for the helpers."""
        self.ensure_one()
        return {name: self[name] for name in lib_settings.FIELDS}
