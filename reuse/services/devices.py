"""Devices coming into Relay one at a time: a new asset tag (or a pre-printed label's) and the first event."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.numbering import allocate_references
from core.tasks import on_commit_task
from reuse.models import Device, PreprintedTag, Site, asset_tag_from_scan
from reuse.services.lifecycle import FIRST_STATUS, append_event
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
