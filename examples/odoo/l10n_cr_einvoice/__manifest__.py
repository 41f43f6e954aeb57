{
    "name": "Costa Rica E-Invoicing (Hacienda responses, retries, polling)",
    "summary": "Response repository, retry queue, automatic polling, bulk wizards and a "
    "dashboard for Costa Rica e-invoices, with every decision taken by hacienda_cr",
    "version": "19.0.1.3.0",
    "category": "Accounting/Localizations/EDI",
    "author": "hacienda-cr contributors",
    "website": "https://github.com/hacienda-cr/hacienda-cr",
    "license": "LGPL-3",
    "depends": ["account", "mail"],
    "external_dependencies": {"python": ["hacienda_cr"]},
    "data": [
        "security/l10n_cr_einvoice_security.xml",
        "security/ir.model.access.csv",
        "data/hacienda_cron_jobs.xml",
        "views/einvoice_document_views.xml",
        "views/hacienda_response_message_views.xml",
        "views/einvoice_retry_queue_views.xml",
        "views/einvoice_bulk_job_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/bulk_wizard_views.xml",
        "views/dashboard_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "l10n_cr_einvoice/static/src/dashboard/*.js",
            "l10n_cr_einvoice/static/src/dashboard/*.xml",
            "l10n_cr_einvoice/static/src/dashboard/*.scss",
            "l10n_cr_einvoice/static/src/bulk_job/*.js",
            "l10n_cr_einvoice/static/src/bulk_job/*.xml",
        ],
    },
}
