# Odoo 19 addon (examples/odoo/l10n_cr_einvoice): static checks and helper unit tests.
# Odoo itself is not installed: pylint-odoo, the OCA hooks and tests/odoo/check_addon.py check
# the addon statically; the helpers (l10n_cr_einvoice/lib, no odoo import) run under pytest.

ODOO_ADDON     := examples/odoo/l10n_cr_einvoice
ODOO_LINTSTAMP := $(VENV)/.odoo-lint-stamp

.PHONY: test-odoo odoo-setup

$(ODOO_LINTSTAMP): examples/odoo/requirements-lint.txt | $(PY)
	$(PIP) install -q -r examples/odoo/requirements-lint.txt
	touch $@

odoo-setup: $(ODOO_LINTSTAMP)

test-odoo: build-py odoo-setup
	$(VENV)/bin/pylint --rcfile=examples/odoo/.pylintrc $(ODOO_ADDON)
	$(VENV)/bin/oca-checks-odoo-module $(ODOO_ADDON)
	$(VENV)/bin/ruff check examples/odoo tests/odoo
	$(VENV)/bin/ruff format --check examples/odoo tests/odoo
	$(PY) tests/odoo/check_addon.py $(ODOO_ADDON)
	$(PY) -m pytest -q tests/odoo

EXTRA_TESTS += test-odoo
