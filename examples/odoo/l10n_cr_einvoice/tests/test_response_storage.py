from odoo.tests import tagged

from . import samples
from .common import HaciendaCase, answer


@tagged("post_install", "-at_install")
class TestResponseStorage(HaciendaCase):
    def test_rejection_is_stored_with_codes_and_hint(self):
        doc = self.make_submitted()
        self.hacienda.status_answers.append(answer(200, {}, samples.status_body(state="rechazado")))
        doc.action_poll_now()
        self.assertEqual(doc.state, "rejected")
        self.assertEqual(doc.ind_estado, "rechazado")
        self.assertEqual(doc.error_codes, "-54")
        self.assertTrue(doc.hint)
        message = doc.response_message_ids
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_kind, "mensaje_hacienda")
        self.assertEqual(message.mensaje, "rejected")
        self.assertIn("<MensajeHacienda", message.response_xml)
        self.assertEqual(message.get_detail_lines()[0]["code"], -54)
        self.assertFalse(doc.next_poll_at, "a final answer stops polling")

    def test_create_from_hacienda_response_and_statistics(self):
        doc = self.make_submitted()
        self.Message.create_from_hacienda_response(samples.status_body(state="rechazado"), document=doc)
        self.Message.create_from_hacienda_response(samples.status_body(state="aceptado"), document=doc)
        stats = self.Message.get_statistics([("document_id", "=", doc.id)])
        self.assertEqual(stats["total"], 2)
        self.assertEqual(stats["by_result"], {"rejected": 1, "accepted": 1})
        self.assertEqual(stats["top_error_codes"], [{"code": -54, "count": 1}])

    def test_xml_actions(self):
        doc = self.make_submitted()
        message = self.Message.create_from_hacienda_response(
            samples.status_body(state="aceptado"), document=doc
        )
        self.assertEqual(message.action_view_xml()["res_id"], message.id)
        self.assertIn("field=response_xml_file", message.action_download_xml()["url"])
        self.assertTrue(message.response_xml_file)

    def test_non_final_answers_are_not_stored_when_the_company_opts_out(self):
        self.company.l10n_cr_store_responses = False
        doc = self.make_submitted()
        doc.action_poll_now()  # procesando
        self.assertEqual(doc.state, "submitted")
        self.assertFalse(doc.response_message_ids)
        self.hacienda.status_answers.append(answer(200, {}, samples.status_body(state="aceptado")))
        doc.action_poll_now()
        self.assertEqual(doc.state, "accepted")
        self.assertEqual(len(doc.response_message_ids), 1, "final answers are always kept")

    def test_cleanup_old_messages_respects_retention(self):
        doc = self.make_submitted()
        old = self.Message.create_from_hacienda_response(samples.status_body(), document=doc)
        new = self.Message.create_from_hacienda_response(samples.status_body(), document=doc)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE l10n_cr_hacienda_response_message "
            "SET create_date = now() - interval '200 days' WHERE id = %s",
            [old.id],
        )
        self.env.invalidate_all()
        self.Message.cleanup_old_messages()
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())
