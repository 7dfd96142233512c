"""matching's models, one module a topic. Import them from here: `from matching.models import CommunityRequest`.

Personal data (a request's contact, the name of whoever signed for a handover, free-text notes that may
name people) lives on `CommunityRequest` and `Handover` alone and is forgotten on the retention schedule
(`matching.services.retention`). Device status is never written here: services go through reuse's
reservation service and `device_transition`.
"""

from matching.models.allocations import *  # noqa: F403
from matching.models.followups import *  # noqa: F403
from matching.models.handovers import *  # noqa: F403
from matching.models.organisations import *  # noqa: F403
from matching.models.requests import *  # noqa: F403
from matching.models.runs import *  # noqa: F403
