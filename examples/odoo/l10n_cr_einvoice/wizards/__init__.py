from . import bulk_wizards
