"""Intake: devices come into Relay one at a time from the form, or thousands at once from a CSV.

Either way each device starts in `received` with its first custody event, and status is never
written here other than as that starting value (`device_transition` owns every later change).
"""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from reuse.intake.plan import ImportPlan, check_against_database, parse_import
from reuse.intake.stored import dump_plan, load_plan, preview
from reuse.models import Device, DeviceImport, StorageMedium
from reuse.services.devices import allocate_asset_tags, device_register
from reuse.services.lifecycle import devices_create, received
from reuse.services.support import support_table

BATCH = 1000
UPLOAD_LIFETIME = datetime.timedelta(days=1)


@transaction.atomic
def device_receive(*, actor, site, fields: dict, media: list[dict], asset_tag: str = "") -> Device:
    """Register one device and its storage media; a pre-printed label's tag is used instead of a new one.

    Raises DomainError `asset_tag_taken` when the label's tag is already on another device, and lets
    django's ValidationError through for field problems found by `device_register`.
    """
    extra = {"asset_tag": asset_tag.strip().upper()} if asset_tag.strip() else {}
    try:
        device = device_register(actor=actor, site=site, **fields, **extra)
    except IntegrityError:
        raise DomainError(
            "asset_tag_taken",
            f"The label {extra.get('asset_tag', '')} is already on another device.",
            asset_tag=extra.get("asset_tag", ""),
        ) from None
    StorageMedium.objects.bulk_create([StorageMedium(device=device, **medium) for medium in media])
    return device


def devices_import(*, plan: ImportPlan, actor, record: DeviceImport) -> DeviceImport:
    """Create every new device of a checked plan at `record.site`, all or none, and mark the record imported.

    Rows already imported are skipped. Devices, their media and their first custody events are written
    with bulk inserts in one transaction. Raises DomainError `import_invalid` if the plan has errors and
    `import_conflict` if another writer added one of the same devices meanwhile.
    """
    if not plan.ok:
        raise DomainError("import_invalid", f"The file has {len(plan.errors)} problems, so nothing was imported.")
    rows = plan.to_create
    try:
        with transaction.atomic():
            _write(rows, plan=plan, actor=actor, record=record)
    except IntegrityError:
        raise DomainError(
            "import_conflict",
            (
                "Some of these devices were added to Relay while this import was running, so nothing was imported. "
                "Check the file again."
            ),
        ) from None
    return record


def _write(rows, *, plan: ImportPlan, actor, record: DeviceImport):
    now = timezone.now()
    tags = allocate_asset_tags(len(rows)) if rows else []
    record.format, record.imported_at, record.content = plan.format, now, None
    record.plan = record.preview = None
    record.created_count, record.skipped_count = len(rows), len(plan.already_imported)
    record.first_tag, record.last_tag = (tags[0], tags[-1]) if tags else ("", "")
    record.save()
    history = received(at=now, actor=actor, site=record.site, reason=f"Received: CSV intake #{record.pk}")
    support = support_table()
    devices = devices_create(
        [
            (
                Device(
                    asset_tag=tag,
                    site=record.site,
                    created_by=actor,
                    **support.fill({"received_at": now, **row.fields}),
                ),
                history,
            )
            for tag, row in zip(tags, rows, strict=True)
        ],
        batch_size=BATCH,
    )
    StorageMedium.objects.bulk_create(
        [
            StorageMedium(device=device, **medium)
            for device, row in zip(devices, rows, strict=True)
            for medium in row.media
        ],
        batch_size=BATCH,
    )


def upload_store(*, actor, site, file_name: str, content: bytes, date_format: str, lot: str) -> DeviceImport:
    """Keep an uploaded CSV for its preview, parsed once into a stored plan; forget stale uploads."""
    uploads_expire()
    record = DeviceImport(
        uploaded_by=actor,
        site=site,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        date_format=date_format,
        lot=lot,
    )
    _replan(record)
    record.save()
    return record


def upload_recheck(*, record: DeviceImport) -> DeviceImport:
    """Read the kept file again after its date format or lot changed (the site needs no new parse)."""
    _replan(record)
    record.save(update_fields=["plan", "preview", "format", "date_format", "lot", "site"])
    return record


def _replan(record: DeviceImport) -> None:
    plan = parse_import(bytes(record.content or b""), date_format=record.date_format, lot=record.lot)
    record.plan, record.format = dump_plan(plan), plan.format
    record.preview = preview(check_against_database(plan))


def upload_plan(*, record: DeviceImport) -> ImportPlan:
    """The stored plan of `record`, checked against the database as it is now (for the import itself)."""
    return check_against_database(load_plan(bytes(record.plan or b"")))


def upload_preview_refresh(*, record: DeviceImport, plan: ImportPlan) -> None:
    """Store what the preview shows of `plan` (checked again because the database changed since)."""
    DeviceImport.objects.filter(pk=record.pk).update(preview=preview(plan))


def uploads_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete uploads nobody confirmed within UPLOAD_LIFETIME, file and plan with them; how many went."""
    cutoff = (now or timezone.now()) - UPLOAD_LIFETIME
    deleted, _ = DeviceImport.objects.filter(imported_at__isnull=True, uploaded_at__lt=cutoff).delete()
    return deleted
