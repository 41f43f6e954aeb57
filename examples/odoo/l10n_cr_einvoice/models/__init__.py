from . import res_company
from . import res_config_settings
from . import hacienda_response_message
from . import einvoice_retry_queue
from . import einvoice_bulk_job
from . import einvoice_document
