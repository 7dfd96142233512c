"""Inventory actions on many devices at once."""

from collections.abc import Iterable

from django.db import transaction

from reuse.models import FINAL_STATUSES, Device, DeviceStatus, Site
from reuse.services.lifecycle import device_move

# A device with a resident, or missing, is not on any shelf to move; a final one has left for good.
UNMOVABLE = FINAL_STATUSES | {DeviceStatus.ON_LOAN, DeviceStatus.LOST}


@transaction.atomic
def devices_move(*, devices: Iterable[Device], site: Site, actor, reason: str = "") -> tuple[list, list]:
    """Move each device to `site` through `device_move` (one custody event each), all or none.

    Returns (moved, skipped): devices already there are left alone, as are devices on loan, lost, or gone
    for good. Raises DomainError `concurrent_change` if one changed meanwhile; nothing is moved then.
    """
    moved, skipped = [], []
    for device in devices:
        if device.status in UNMOVABLE:
            skipped.append(device)
        elif device.site_id != site.pk:
            moved.append(device_move(device=device, site=site, actor=actor, reason=reason))
    return moved, skipped
