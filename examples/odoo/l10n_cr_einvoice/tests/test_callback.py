from odoo.tests import HttpCase, tagged

from . import samples


@tagged("post_install", "-at_install")
class TestCallback(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.token = cls.company._l10n_cr_get_callback_token()
        cls.doc = cls.env["l10n_cr.einvoice.document"].create(
            {
                "name": "FE 1",
                "clave": samples.CLAVE,
                "state": "submitted",
                "ind_estado": "procesando",
                "signed_xml": samples.signed_fe(),
            }
        )

    def _post(self, body, token=None):
        url = f"/l10n_cr_einvoice/callback/{self.company.id}/{token or self.token}"
        return self.url_open(url, data=body, headers={"Content-Type": "application/json"})

    def test_callback_stores_the_answer_and_stops_polling(self):
        response = self._post(samples.status_body(state="rechazado", callback=True))
        self.assertEqual(response.status_code, 200)
        self.doc.invalidate_recordset()
        self.assertEqual(self.doc.state, "rejected")
        self.assertEqual(self.doc.response_message_ids.source, "callback")
        self.assertFalse(self.doc.next_poll_at)

    def test_wrong_token_is_refused(self):
        response = self._post(samples.status_body(state="aceptado", callback=True), token="nope")
        self.assertEqual(response.status_code, 404)
        self.doc.invalidate_recordset()
        self.assertEqual(self.doc.state, "submitted")

    def test_unknown_clave_and_garbage_are_refused(self):
        self.assertEqual(self._post(samples.status_body(samples.CLAVE_2, "aceptado", True)).status_code, 404)
        self.assertEqual(self._post(b"not json").status_code, 400)
        bad = b'{"clave": "123", "indEstado": "aceptado"}'
        self.assertEqual(self._post(bad).status_code, 400)
