from . import test_response_storage
from . import test_retry_queue
from . import test_polling
from . import test_bulk
from . import test_callback
