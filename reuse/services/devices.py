"""Devices coming into Relay one at a time: a new asset tag (or a pre-printed label's) and the first event."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.numbering import allocate_references
from core.tasks import on_commit_task
from reuse.models import Device, DeviceKind, DeviceStatus, PreprintedTag, Site, asset_tag_from_scan
from reuse.services.lifecycle import FIRST_STATUS, append_event, custody_note, device_move
from reuse.services.support import support_table

TAG_USED = "The label {tag} is already on another device. Use a new label."


def allocate_asset_tags(count: int) -> list[str]:
    """`count` new asset tags, `RLY-000123` (ASSET_TAG_PREFIX), never handed out before."""
    return allocate_references(settings.ASSET_TAG_PREFIX, count, width=6, counter="asset_tag")


def _check_preprinted(tag: str) -> None:
    used = TAG_USED.format(tag=tag)
    spare = PreprintedTag.objects.filter(asset_tag=tag).values("device_id").first()
    if (spare and spare["device_id"]) or Device.objects.filter(asset_tag=tag).exists():
        raise DomainError("tag_already_used", used, tag=tag)
    if spare is None:
        raise DomainError(
            "unknown_tag",
            f"{tag} is not one of our pre-printed labels. Check the label, or leave "
            "the tag empty to have one allocated.",
            tag=tag,
        )


@transaction.atomic
def device_register(*, actor, site: Site, reason: str = "Received from council IT", **fields) -> Device:
    """Create one device in `received`, with a new asset tag (or a pre-printed one) and its first event.

    A supplied `asset_tag` (a tag, or the URL scanned from its label) must be a pre-printed label not yet
    on a device: DomainError `unknown_tag` or `tag_already_used` otherwise. It is claimed in this transaction.
    Without an `updates_until`, the security-support table fills it in when a row matches.
    """
    fields = support_table().fill(fields)
    supplied = fields.pop("asset_tag", None)
    tag = asset_tag_from_scan(supplied) if supplied else allocate_asset_tags(1)[0]
    if supplied:
        _check_preprinted(tag)
    device = Device(asset_tag=tag, site=site, created_by=actor, status=FIRST_STATUS, **fields)
    device.full_clean(exclude=["asset_tag"])
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError:
        if supplied and Device.objects.filter(asset_tag=tag).exists():
            raise DomainError("tag_already_used", TAG_USED.format(tag=tag), tag=tag) from None
        raise
    if supplied:
        # Conditional: of two desks scanning the same label at once, only one claims it.
        claimed = PreprintedTag.objects.filter(asset_tag=tag, device__isnull=True).update(
            device=device, claimed_at=timezone.now()
        )
        if claimed != 1:
            raise DomainError("tag_already_used", TAG_USED.format(tag=tag), tag=tag)
    append_event(device=device, to_status=FIRST_STATUS, from_status="", actor=actor, site=site, reason=reason)
    if not supplied:  # a pre-printed label's code was made when it was printed
        on_commit_task("reuse.tasks.label_code_issue", device.pk)
    return device


# What a device is and where it is: a change to any of these is on the custody record (the admin keeps
# them read-only for that reason). Everything else about a device is a detail that just saves.
CUSTODY_FIELDS = ("site", "kind", "serial", "imei", "council_asset_number")
IDENTITY_LABELS = {
    "kind": "Type",
    "serial": "Serial number",
    "imei": "IMEI",
    "council_asset_number": "Council asset number",
}
S = DeviceStatus
MOVABLE_BY_EDIT = frozenset({S.RECEIVED, S.SANITISED, S.REPAIR, S.READY, S.RESERVED, S.QUARANTINED})


def _shown(device: Device, field: str, value) -> str:
    if field == "kind":
        return DeviceKind(value).label if value else "none"
    return str(value) if value else "none"


@transaction.atomic
def device_edit(*, device: Device, actor, reason: str = "", **fields) -> Device:
    """Change a device's details. Each change to what it is (type, serial number, IMEI, council asset
    number) writes one custody event naming old and new; a change of site is a move (`device_move`);
    anything else just saves.

    The type changes only while the device is received (before its wipe is judged against it: phones need
    a checklist, laptops a wipe per drive): DomainError `kind_locked`. A device on loan, lost or gone for
    good is on no shelf to move: DomainError `not_movable`.
    """
    current = Device.objects.select_for_update().select_related("site").get(pk=device.pk)
    site = fields.pop("site", current.site)
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    if "kind" in changed and current.status != DeviceStatus.RECEIVED:
        raise DomainError(
            "kind_locked",
            f"{current.asset_tag} is {current.get_status_display().lower()}: its type can only be changed "
            "while it is received, before it is wiped.",
        )
    if site.pk != current.site_id and current.status not in MOVABLE_BY_EDIT:
        raise DomainError(
            "not_movable", f"{current.asset_tag} is {current.get_status_display().lower()}: it cannot be moved."
        )
    before = {name: getattr(current, name) for name in changed}
    for name, value in changed.items():
        setattr(current, name, value)
    current.full_clean(exclude=["asset_tag", "site"])
    if changed:
        current.save(update_fields=list(changed))
    for name in CUSTODY_FIELDS:
        if name in changed:
            note = f"{IDENTITY_LABELS[name]} changed from {_shown(current, name, before[name])} to "
            note += _shown(current, name, changed[name])
            custody_note(device=current, actor=actor, reason=f"{note}. {reason}" if reason else note)
    if site.pk != current.site_id:
        device_move(device=current, site=site, actor=actor, reason=reason)
    for name in [*changed, "site"]:
        setattr(device, name, getattr(current, name))
    return device
