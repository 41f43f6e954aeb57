"""The addon passes the static checks, and the checker catches each kind of mistake."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import check_addon

from conftest import ADDON

DOC_VIEWS = "views/einvoice_document_views.xml"


def test_addon_is_clean():
    assert check_addon.check_addon(ADDON) == []


def test_models_are_read_from_the_source():
    models = check_addon.read_models(ADDON)
    for name in (
        "l10n_cr.einvoice.document",
        "l10n_cr.hacienda.response.message",
        "l10n_cr.einvoice.retry.queue",
        "l10n_cr.einvoice.bulk.job",
        "l10n_cr.bulk.submit.wizard",
    ):
        assert name in models
    doc = models["l10n_cr.einvoice.document"]
    assert doc.fields["response_message_ids"] == "l10n_cr.hacienda.response.message"
    for method in (
        "_process_hacienda_response",
        "_store_response_message",
        "_add_to_retry_queue",
        "_cron_poll_pending_documents",
        "action_submit_to_hacienda_with_retry",
        "action_sign_xml_with_retry",
        "action_view_response_messages",
        "action_view_retry_queue",
        "get_dashboard_statistics",
    ):
        assert method in doc.methods
    queue = models["l10n_cr.einvoice.retry.queue"].methods
    assert {
        "add_to_queue",
        "classify_error",
        "_cron_process_retry_queue",
        "_process_retry",
        "_notify_retry_failure",
        "action_retry_now",
        "action_cancel",
        "get_queue_statistics",
        "_cleanup_old_entries",
    } <= queue
    msg = models["l10n_cr.hacienda.response.message"].methods
    assert {
        "create_from_hacienda_response",
        "cleanup_old_messages",
        "get_statistics",
        "action_view_xml",
        "action_download_xml",
    } <= msg
    company = models["res.company"].fields
    assert {
        "l10n_cr_polling_interval",
        "l10n_cr_max_concurrent_batches",
        "l10n_cr_response_retention_days",
    } <= set(company)


@pytest.fixture
def broken(tmp_path):
    copy = tmp_path / "l10n_cr_einvoice"
    shutil.copytree(ADDON, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_view_field_is_reported(broken):
    _edit(
        broken / DOC_VIEWS, '<field name="consecutivo"/>', '<field name="consecutivo"/><field name="nope"/>'
    )
    assert any(
        "field nope does not exist on l10n_cr.einvoice.document" in e for e in check_addon.check_addon(broken)
    )


def test_sub_view_fields_are_checked_on_the_comodel(broken):
    _edit(broken / DOC_VIEWS, '<field name="source"/>', '<field name="poll_count"/>')
    errors = check_addon.check_addon(broken)
    assert any("poll_count does not exist on l10n_cr.hacienda.response.message" in e for e in errors)


def test_old_syntax_is_reported(broken):
    _edit(broken / DOC_VIEWS, "<list decoration", "<tree decoration")
    _edit(
        broken / DOC_VIEWS,
        '</list>\n        </field>\n    </record>\n\n    <record id="view_einvoice_document_form"',
        '</tree>\n        </field>\n    </record>\n\n    <record id="view_einvoice_document_form"',
    )
    _edit(broken / DOC_VIEWS, "invisible=\"state != 'submitted'\"/>", 'attrs="{}"/>')
    errors = check_addon.check_addon(broken)
    assert any("<tree>" in e for e in errors)
    assert any("attrs=" in e for e in errors)


def test_unknown_button_method_is_reported(broken):
    _edit(broken / DOC_VIEWS, 'name="action_poll_now"', 'name="action_fly"')
    assert any("button method action_fly" in e for e in check_addon.check_addon(broken))


def test_bad_xml_missing_file_and_unknown_csv_model_are_reported(broken):
    (broken / "views" / "menus.xml").write_text("<odoo><menuitem></odoo>", encoding="utf-8")
    (broken / "wizards" / "bulk_wizard_views.xml").unlink()
    with (broken / "security" / "ir.model.access.csv").open("a", encoding="utf-8") as fh:
        fh.write("access_ghost,ghost,model_l10n_cr_ghost,account.group_account_invoice,1,0,0,0\n")
    errors = check_addon.check_addon(broken)
    assert any("menus.xml: does not parse" in e for e in errors)
    assert any("bulk_wizard_views.xml does not exist" in e for e in errors)
    assert any("unknown model model_l10n_cr_ghost" in e for e in errors)


def test_cron_calling_a_missing_method_is_reported(broken):
    _edit(
        broken / "data/hacienda_cron_jobs.xml", "model._cron_process_retry_queue()", "model._cron_nothing()"
    )
    assert any("cron code" in e for e in check_addon.check_addon(broken))


def test_model_without_access_rule_is_reported(broken):
    csv_path = broken / "security" / "ir.model.access.csv"
    lines = [ln for ln in csv_path.read_text(encoding="utf-8").splitlines() if "bulk_job" not in ln]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = check_addon.check_addon(broken)
    assert any("model l10n_cr.einvoice.bulk.job has no access rule" in e for e in errors)
    assert not any("l10n_cr.bulk.wizard.mixin" in e for e in errors)  # abstract: no table, no rule
