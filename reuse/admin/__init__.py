"""reuse's admin, one module a topic. Django's admin autodiscovery imports this package."""

from reuse.admin import (  # noqa: F401
    certificates,
    devices,
    disposal,
    intake,
    labels,
    reservations,
    sanitisation,
    sites,
    support,
)
