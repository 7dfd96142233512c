"""reuse's admin, one module a topic. Django's admin autodiscovery imports this package."""

from reuse.admin import certificates, devices, disposal, intake, labels, sanitisation, sites  # noqa: F401
