from reuse.models.core import *  # noqa: F403
