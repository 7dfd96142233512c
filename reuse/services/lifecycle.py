"""The device lifecycle: the one writer of `Device.status`, its gates and its custody record."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reuse.errors import DomainError
from reuse.models import (
    RESET_KINDS,
    Counter,
    CustodyEvent,
    Device,
    DeviceStatus,
    PreprintedTag,
    ResetChecklist,
    SanitisationRecord,
    Site,
    asset_tag_from_scan,
)
from reuse.signals import device_changed

S = DeviceStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.SANITISED, S.QUARANTINED, S.RECYCLED, S.DESTROYED}),
    S.SANITISED: frozenset({S.READY, S.REPAIR, S.RECYCLED}),
    S.REPAIR: frozenset({S.READY, S.RECEIVED, S.RECYCLED}),
    S.READY: frozenset({S.RESERVED, S.ON_LOAN, S.RECEIVED}),
    S.RESERVED: frozenset({S.ON_LOAN, S.GIFTED, S.READY}),
    S.ON_LOAN: frozenset({S.RECEIVED, S.LOST}),
    S.QUARANTINED: frozenset({S.RECEIVED, S.DESTROYED}),
    S.LOST: frozenset({S.RECEIVED}),
    S.GIFTED: frozenset(),
    S.RECYCLED: frozenset(),
    S.DESTROYED: frozenset(),
}

# Gate 2: these need a wipe that passed gate 1 in the current intake cycle.
HANDOUT_STATUSES = frozenset({S.ON_LOAN, S.RESERVED, S.GIFTED})


def _announce(device: Device, from_status: str, to_status: str):
    device_id, site_id = device.pk, device.site_id
    transaction.on_commit(lambda: device_changed.send(
        sender=Device, device_id=device_id, from_status=from_status, to_status=to_status, site_id=site_id))


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS[status]


def allocate_numbers(name: str, count: int) -> range:
    """Reserve `count` consecutive numbers from a named counter. Safe under concurrent writers."""
    with transaction.atomic():
        Counter.objects.get_or_create(name=name)
        Counter.objects.filter(name=name).update(value=F("value") + count)
        end = Counter.objects.get(name=name).value
    return range(end - count + 1, end + 1)


def allocate_asset_tags(count: int) -> list[str]:
    from django.conf import settings

    return [f"{settings.ASSET_TAG_PREFIX}-{n:06d}" for n in allocate_numbers("asset_tag", count)]


def sanitisation_gate_problems(device: Device) -> list[str]:
    """Why `device` may not become `sanitised` now; an empty list means gate 1 passes.

    Only evidence from the current intake cycle counts: a wipe made before the device last entered
    `received` says nothing about data written since.
    """
    if device.kind in RESET_KINDS:
        checklists = ResetChecklist.objects.filter(device=device, cycle=device.cycle)
        if any(c.is_complete for c in checklists):
            return []
        latest = checklists.first()
        if latest is None:
            return ["No reset checklist has been recorded since the device was last received."]
        if latest.verified_by_id is None:
            return ["The reset checklist has not been verified."]
        return [f"Reset checklist incomplete: {', '.join(latest.missing_items)}."]

    media = list(device.media.filter(removed_at__isnull=True))
    if not media:
        return ["No storage media are recorded for this device: add its drives first."]
    passing = set(
        SanitisationRecord.objects.filter(
            device=device,
            cycle=device.cycle,
            result=SanitisationRecord.Result.PASSED,
            verification_result=SanitisationRecord.Result.PASSED,
            verified_by__isnull=False,
        ).values_list("medium_id", flat=True)
    )
    return [f"No passing, verified wipe for {medium}." for medium in media if medium.pk not in passing]


def _check_gates(device: Device, to_status: str):
    if to_status == S.SANITISED:
        problems = sanitisation_gate_problems(device)
        if problems:
            raise DomainError("not_sanitised", " ".join(problems), problems=problems)
    if to_status in HANDOUT_STATUSES and not device.wipe_stands:
        raise DomainError(
            "not_sanitised",
            f"{device.asset_tag} has not been wiped since it was last received.",
        )


def append_event(*, device: Device, to_status: str, from_status: str, actor, site: Site | None,
                 reason: str, at=None) -> CustodyEvent:
    """Append one custody event to `device`'s hash chain. Call inside the transaction that changes it."""
    last = CustodyEvent.objects.filter(device=device).order_by("-seq").values("seq", "hash").first()
    event = CustodyEvent(
        device=device,
        seq=(last["seq"] + 1) if last else 1,
        at=at or timezone.now(),
        actor=actor,
        site=site,
        from_status=from_status,
        to_status=to_status,
        reason=reason[:300],
        prev_hash=last["hash"] if last else "",
    )
    event.hash = event.compute_hash()
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:
        raise DomainError("concurrent_change", "Someone else changed this device at the same moment; try again.") \
            from None
    return event


def build_events(devices: Iterable[Device], *, actor, reason: str, at=None) -> list[CustodyEvent]:
    """First custody events for freshly created devices, ready for `bulk_create` (imports, demo data)."""
    at = at or timezone.now()
    events = []
    for device in devices:
        event = CustodyEvent(device=device, seq=1, at=at, actor=actor, site=device.site, from_status="",
                             to_status=device.status, reason=reason, prev_hash="")
        event.hash = event.compute_hash()
        events.append(event)
    return events


@transaction.atomic
def device_transition(*, device: Device, to_status: str, actor, reason: str = "", site: Site | None = None
                      ) -> Device:
    """Move `device` to `to_status`: the only code that changes a device's status.

    Checks the transition table and the gates against a fresh copy of the row, updates it only if
    nobody else changed it meanwhile, and appends the custody event in the same transaction.
    Raises DomainError with code `transition_not_allowed`, `not_sanitised` or `concurrent_change`.
    """
    current = Device.objects.select_for_update().get(pk=device.pk)
    from_status = current.status
    if to_status not in TRANSITIONS.get(from_status, ()):
        raise DomainError(
            "transition_not_allowed",
            f"{current.asset_tag} is {current.get_status_display().lower()}; "
            f"it cannot become {DeviceStatus(to_status).label.lower()}.",
            from_status=from_status,
            to_status=to_status,
        )
    _check_gates(current, to_status)

    now = timezone.now()
    changes = {"status": to_status, "status_changed_at": now}
    if to_status == S.RECEIVED:
        changes["cycle"] = current.cycle + 1
    if to_status == S.SANITISED:
        changes["sanitised_cycle"] = current.cycle
    if site is not None:
        changes["site"] = site
    updated = Device.objects.filter(pk=current.pk, status=from_status, cycle=current.cycle).update(**changes)
    if updated != 1:
        raise DomainError("concurrent_change", "Someone else changed this device at the same moment; try again.")
    append_event(device=current, to_status=to_status, from_status=from_status, actor=actor,
                 site=site or current.site, reason=reason, at=now)
    for field, value in changes.items():
        setattr(device, field, value)
    _announce(device, from_status, to_status)
    return device


@transaction.atomic
def device_move(*, device: Device, site: Site, actor, reason: str = "") -> Device:
    """Record that `device` is now at `site`. Its status stays; the custody record notes the move."""
    if device.site_id == site.pk:
        return device
    old_site = device.site
    Device.objects.filter(pk=device.pk).update(site=site)
    append_event(device=device, to_status=device.status, from_status=device.status, actor=actor, site=site,
                 reason=(reason or f"Moved from {old_site} to {site}"))
    device.site = site
    _announce(device, device.status, device.status)
    return device


def _check_preprinted(tag: str) -> None:
    used = f"The label {tag} is already on another device. Use a new label."
    spare = PreprintedTag.objects.filter(asset_tag=tag).values("device_id").first()
    if (spare and spare["device_id"]) or Device.objects.filter(asset_tag=tag).exists():
        raise DomainError("tag_already_used", used, tag=tag)
    if spare is None:
        raise DomainError("unknown_tag", f"{tag} is not one of our pre-printed labels. Check the label, or leave "
                          "the tag empty to have one allocated.", tag=tag)


@transaction.atomic
def device_register(*, actor, site: Site, reason: str = "Received from council IT", **fields) -> Device:
    """Create one device in `received`, with a new asset tag (or a pre-printed one) and its first event.

    A supplied `asset_tag` (a tag, or the URL scanned from its label) must be a pre-printed label not yet
    on a device: DomainError `unknown_tag` or `tag_already_used` otherwise. It is claimed in this transaction.
    """
    supplied = fields.pop("asset_tag", None)
    tag = asset_tag_from_scan(supplied) if supplied else allocate_asset_tags(1)[0]
    if supplied:
        _check_preprinted(tag)
    device = Device(asset_tag=tag, site=site, created_by=actor, status=S.RECEIVED, **fields)
    device.full_clean(exclude=["asset_tag"])
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        if supplied and Device.objects.filter(asset_tag=tag).exists():
            raise DomainError("tag_already_used", f"The label {tag} is already on another device. Use a new label.",
                              tag=tag) from None
        raise
    if supplied:
        # Conditional: of two desks scanning the same label at once, only one claims it.
        claimed = PreprintedTag.objects.filter(asset_tag=tag, device__isnull=True).update(
            device=device, claimed_at=timezone.now())
        if claimed != 1:
            raise DomainError("tag_already_used", f"The label {tag} is already on another device. Use a new label.",
                              tag=tag)
    append_event(device=device, to_status=S.RECEIVED, from_status="", actor=actor, site=site, reason=reason)
    return device
