from reuse.models.core import *  # noqa: F403
from reuse.models.intake import *  # noqa: F403
from reuse.models.labels import *  # noqa: F403
from reuse.models.sanitisation import *  # noqa: F403
