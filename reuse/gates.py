"""The gates no path may bypass (pages, admin, API, imports, the shell): checked by `device_transition`.

1. **sanitised** needs, for every current drive, a passing wipe record verified by a second technician
   (phones, tablets and hotspots: a complete, verified reset checklist), made in the device's current
   intake cycle: a wipe from before it last came back says nothing about data written since.
2. **on_loan / reserved / gifted** need that wipe to stand: no return to `received` since (a
   CheckConstraint holds the same line in the database).
3. One open loan and one live reservation per device: partial unique indexes in lending.

Gate 1 is written once, for many devices at a time (`gate_problems_bulk`); one device is a batch of one.
"""

from collections import defaultdict
from collections.abc import Iterable

from core.errors import DomainError
from reuse.models import RESET_KINDS, Device, DeviceStatus, ResetChecklist, SanitisationRecord, StorageMedium

S = DeviceStatus
HANDOUT_STATUSES = frozenset({S.ON_LOAN, S.RESERVED, S.GIFTED})

NO_CHECKLIST = "No reset checklist has been recorded since the device was last received."
CHECKLIST_UNVERIFIED = "The reset checklist has not been verified."
NO_DRIVES = "No storage media are recorded for this device: add its drives first."


def _checklist_problems(checklists: list[ResetChecklist]) -> list[str]:
    """`checklists`: the device's current-cycle checklists, newest first."""
    if any(c.is_complete for c in checklists):
        return []
    if not checklists:
        return [NO_CHECKLIST]
    if checklists[0].verified_by_id is None:
        return [CHECKLIST_UNVERIFIED]
    return [f"Reset checklist incomplete: {', '.join(checklists[0].missing_items)}."]


def gate_problems_bulk(devices: Iterable[Device]) -> dict[int, list[str]]:
    """Why each of `devices` may not become `sanitised` now, by pk; an empty list means gate 1 passes.

    Three queries however many devices: the batch worklist shows this for hundreds at once.
    """
    devices = list(devices)
    cycles = {d.pk: d.cycle for d in devices}
    reset_ids = [d.pk for d in devices if d.kind in RESET_KINDS]
    drive_ids = [d.pk for d in devices if d.kind not in RESET_KINDS]
    problems: dict[int, list[str]] = {}

    checklists = defaultdict(list)
    for checklist in ResetChecklist.objects.filter(device_id__in=reset_ids).order_by("-completed_at", "-pk"):
        if checklist.cycle == cycles[checklist.device_id]:
            checklists[checklist.device_id].append(checklist)
    for pk in reset_ids:
        problems[pk] = _checklist_problems(checklists[pk])

    media = defaultdict(list)
    for medium in StorageMedium.objects.filter(device_id__in=drive_ids, removed_at__isnull=True).order_by("id"):
        media[medium.device_id].append(medium)
    passing = set(
        SanitisationRecord.objects.passing()
        .filter(device_id__in=drive_ids)
        .values_list("device_id", "cycle", "medium_id")
    )
    for pk in drive_ids:
        if not media[pk]:
            problems[pk] = [NO_DRIVES]
        else:
            problems[pk] = [
                f"No passing, verified wipe for {m}." for m in media[pk] if (pk, cycles[pk], m.pk) not in passing
            ]
    return problems


def sanitisation_gate_problems(device: Device) -> list[str]:
    """Gate 1 for one device: why it may not become `sanitised` now (empty: it may)."""
    return gate_problems_bulk([device])[device.pk]


def check_gates(device: Device, to_status: str) -> None:
    """Raise DomainError `not_sanitised` if `device` (a fresh, locked row) may not move to `to_status`."""
    if to_status == S.SANITISED:
        problems = sanitisation_gate_problems(device)
        if problems:
            raise DomainError("not_sanitised", " ".join(problems), problems=problems)
    if to_status in HANDOUT_STATUSES and not device.wipe_stands:
        raise DomainError("not_sanitised", f"{device.asset_tag} has not been wiped since it was last received.")
