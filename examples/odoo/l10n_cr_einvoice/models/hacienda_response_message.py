import base64
import json
from datetime import timedelta

from odoo import api, fields, models

from ..lib import responses as lib_responses
from ..lib import stats as lib_stats

IND_ESTADO = [
    ("recibido", "Recibido"),
    ("procesando", "Procesando"),
    ("aceptado", "Aceptado"),
    ("rechazado", "Rechazado"),
    ("error", "Error"),
]
MESSAGE_KIND = [
    ("mensaje_hacienda", "MensajeHacienda"),
    ("mensaje_receptor", "MensajeReceptor"),
]
MENSAJE = [
    ("accepted", "Accepted"),
    ("partially_accepted", "Partially Accepted"),
    ("rejected", "Rejected"),
]
ERROR_CATEGORY = [
    ("transient", "Transient"),
    ("rate_limit", "Rate Limit"),
    ("network", "Network"),
    ("server", "Server"),
    ("auth", "Authentication"),
    ("validation", "Validation"),
    ("signature", "Signature"),
    ("duplicate", "Duplicate"),
    ("configuration", "Configuration"),
    ("unknown", "Unknown"),
]
BLOCKING = [("info", "Info"), ("warning", "Warning"), ("error", "Error")]
SOURCE = [("poll", "Status Query"), ("callback", "Callback"), ("submit", "Submission"), ("import", "Import")]


class HaciendaResponseMessage(models.Model):
    _name = "l10n_cr.hacienda.response.message"
    _description = "Hacienda Response Message"
    _order = "create_date desc, id desc"
    _rec_name = "clave"

    document_id = fields.Many2one("l10n_cr.einvoice.document", ondelete="cascade", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    clave = fields.Char(required=True, index=True)
    source = fields.Selection(SOURCE, default="poll", required=True)
    ind_estado = fields.Selection(IND_ESTADO, string="State (ind-estado)", index=True)
    is_final = fields.Boolean(string="Final Answer")
    message_kind = fields.Selection(MESSAGE_KIND, index=True)
    mensaje = fields.Selection(MENSAJE, string="Decision (Mensaje)")
    schema_version = fields.Char()
    answer_date = fields.Datetime()
    emisor_name = fields.Char(string="Issuer")
    emisor_id = fields.Char(string="Issuer ID")
    receptor_name = fields.Char(string="Receiver")
    receptor_id = fields.Char(string="Receiver ID")
    total_tax = fields.Float()
    total_invoice = fields.Float()
    sandbox = fields.Boolean(help="Hacienda answered from the sandbox (ambiente de pruebas).")
    detail_text = fields.Text(string="DetalleMensaje")
    detail_summary = fields.Text(string="Summary")
    detail_lines_json = fields.Text(string="Detail Lines (JSON)")
    error_codes = fields.Char(index=True, help="Codes of the blocking DetalleMensaje lines, comma separated.")
    warning_codes = fields.Char(help="Codes of the warning lines (e.g. -16, -37), comma separated.")
    error_category = fields.Selection(ERROR_CATEGORY, index=True)
    retryable = fields.Boolean()
    blocking_level = fields.Selection(BLOCKING)
    next_step = fields.Char()
    hint_es = fields.Char(string="Hint (es)")
    hint_en = fields.Char(string="Hint (en)")
    parse_error = fields.Char()
    raw_body = fields.Text(string="Raw Answer")
    response_xml = fields.Text(string="Decoded XML")
    response_xml_file = fields.Binary(string="XML File", compute="_compute_response_xml_file")
    response_xml_filename = fields.Char(compute="_compute_response_xml_file")

    @api.depends("response_xml", "clave")
    def _compute_response_xml_file(self):
        for rec in self:
            xml = rec.response_xml or ""
            rec.response_xml_file = base64.b64encode(xml.encode()) if xml else False
            rec.response_xml_filename = f"MensajeHacienda_{rec.clave or rec.id}.xml"

    @api.model
    def create_from_hacienda_response(self, body, document=None, source="poll", company=None):
        """Store one status answer / callback body (JSON) and return the new record.

        Everything stored comes from ``hacienda_cr``: state, kind, decoded XML, detail lines,
        error codes and classification. Raises ``hacienda_cr.ParseError`` on a body that is
        not a status answer.
        """
        vals = lib_responses.values_from_status(body)
        return self.create(self._values_for_create(vals, body, document, source, company))

    @api.model
    def _values_for_create(self, vals, body, document, source, company):
        company = company or (document.company_id if document else self.env.company)
        allowed = set(self._fields)
        record_vals = {k: v for k, v in vals.items() if k in allowed}
        record_vals.update(
            {
                "document_id": document.id if document else False,
                "company_id": company.id,
                "source": source,
                "raw_body": body.decode("utf-8", "replace") if isinstance(body, bytes) else body,
            }
        )
        return record_vals

    def get_detail_lines(self):
        """The DetalleMensaje lines as dicts (code, message, row, column, severity)."""
        self.ensure_one()
        return json.loads(self.detail_lines_json or "[]")

    @api.model
    def cleanup_old_messages(self, batch_size=1000):
        """Cron: delete responses older than each company's retention, in batches."""
        cron = self.env["ir.cron"]
        for [company] in self._read_group([], groupby=["company_id"]):
            limit = fields.Datetime.now() - timedelta(days=company.l10n_cr_response_retention_days)
            domain = [("company_id", "=", company.id), ("create_date", "<", limit)]
            while True:
                old = self.search(domain, limit=batch_size)
                if not old:
                    break
                count = len(old)
                old.unlink()
                remaining = self.search_count(domain)
                if cron._commit_progress(count, remaining=remaining) <= 0:
                    return

    @api.model
    def get_statistics(self, domain=None):
        """Response statistics from hacienda_cr (by kind, by result, most frequent error codes)."""
        rows = self.search_read(domain or [], ["message_kind", "mensaje", "error_codes"])
        return lib_stats.responses(rows)

    def action_view_xml(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hacienda XML"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("l10n_cr_einvoice.view_hacienda_response_message_xml_form").id, "form")],
            "target": "new",
        }

    def action_download_xml(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/?model={self._name}&id={self.id}&field=response_xml_file"
                "&filename_field=response_xml_filename&download=true"
            ),
            "target": "self",
        }
