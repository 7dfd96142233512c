"""reuse's models, one module a topic. Import them from here: `from reuse.models import Device`."""

from reuse.models.audit import *  # noqa: F403
from reuse.models.certificates import *  # noqa: F403
from reuse.models.devices import *  # noqa: F403
from reuse.models.disposal import *  # noqa: F403
from reuse.models.intake import *  # noqa: F403
from reuse.models.labels import *  # noqa: F403
from reuse.models.numbering import *  # noqa: F403
from reuse.models.reservations import *  # noqa: F403
from reuse.models.sanitisation import *  # noqa: F403
from reuse.models.sites import *  # noqa: F403
from reuse.models.stocktakes import *  # noqa: F403
from reuse.models.support import *  # noqa: F403
