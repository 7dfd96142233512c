"""Disposal: devices leave the service in batches handed to a recycler, each through the lifecycle."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from core.errors import DomainError
from core.numbering import allocate_references
from reuse.models import Device, DeviceStatus, DisposalBatch, DisposalItem
from reuse.services.lifecycle import allowed_next, device_transition


def disposal_references(count: int) -> list[str]:
    """`count` new disposal batch references, `RLY-DSP-00042`."""
    return allocate_references(f"{settings.ASSET_TAG_PREFIX}-DSP", count, width=5, counter="disposal")


@transaction.atomic
def disposal_batch_create(
    *,
    devices: Sequence[Device],
    method: str,
    recycler: str,
    waste_transfer_note: str,
    actor,
    destruction_certificate: str = "",
    collected_on: datetime.date | None = None,
    notes: str = "",
) -> DisposalBatch:
    """Recycle or destroy `devices` as one collection. All or nothing.

    Every device must be able to go to `method` (recycled / destroyed) from where it is now; if any
    cannot, DomainError `disposal_not_allowed` names each one and nothing is written.
    """
    if method not in DisposalBatch.Method.values:
        raise DomainError("disposal_method", "Choose recycle or destroy.")
    ids = list(dict.fromkeys(d.pk for d in devices))
    current = list(Device.objects.select_for_update().filter(pk__in=ids).order_by("asset_tag"))
    if not current:
        raise DomainError("disposal_empty", "Choose at least one device.")
    label = DeviceStatus(method).label.lower()
    refused = [d for d in current if method not in allowed_next(d.status)]
    if refused:
        names = ", ".join(f"{d.asset_tag} ({d.get_status_display().lower()})" for d in refused)
        raise DomainError(
            "disposal_not_allowed",
            f"These devices cannot be {label} from where they are now: {names}.",
            devices=[d.asset_tag for d in refused],
        )
    batch = DisposalBatch.objects.create(
        reference=disposal_references(1)[0],
        method=method,
        recycler=recycler.strip(),
        waste_transfer_note=waste_transfer_note.strip(),
        destruction_certificate=destruction_certificate.strip(),
        notes=notes.strip(),
        created_by=actor,
        **({"collected_on": collected_on} if collected_on else {}),
    )
    reason = (
        f"{label.capitalize()} in disposal batch {batch.reference}: {batch.recycler}, "
        f"waste transfer note {batch.waste_transfer_note}"
    )
    for device in current:
        device_transition(device=device, to_status=method, actor=actor, reason=reason)
    DisposalItem.objects.bulk_create([DisposalItem(batch=batch, device=d) for d in current])
    return batch


@transaction.atomic
def disposal_batch_record_certificate(*, batch: DisposalBatch, reference: str, actor) -> DisposalBatch:
    """Add the recycler's certificate-of-destruction reference when it arrives, once."""
    reference = reference.strip()
    if not reference:
        raise DomainError("reference_required", "Enter the certificate of destruction reference.")
    if (
        DisposalBatch.objects.filter(pk=batch.pk, destruction_certificate="").update(destruction_certificate=reference)
        != 1
    ):
        raise DomainError("already_recorded", "A certificate of destruction is already recorded for this batch.")
    batch.destruction_certificate = reference
    return batch
