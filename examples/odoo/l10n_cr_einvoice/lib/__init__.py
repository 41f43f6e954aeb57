"""Plain-Python helpers of the addon: no ``odoo`` import, unit-tested with pytest.

Every decision (how to read Hacienda's answer, whether to retry and when, which documents
to poll, how to split a bulk operation, what the dashboard shows) is taken here by calling
``hacienda_cr``; the Odoo models only load records, call one helper per batch and write back.
"""
