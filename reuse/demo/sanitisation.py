"""Demo sanitisation: wipes awaiting a second technician, disposal batches, a few certificates,
and the Dell Vostro whose real ShredOS log ships in the fixtures, ready for `import_wipe_log`.
"""

import datetime
import itertools

from django.db import transaction
from django.utils import timezone

from reuse.models import (
    Device,
    DeviceKind,
    DeviceStatus,
    DisposalBatch,
    DisposalItem,
    SanitisationRecord,
    Site,
    StorageType,
)
from reuse.services.certificates import certificate_issue
from reuse.services.devices import device_register
from reuse.services.disposal import disposal_references

RECYCLERS = ["Anytown Electronics Recycling Ltd", "Greenbridge IT Asset Disposal", "County WEEE Services"]
BATCH_SIZE = 40
# The system serial in fixtures/nwipe/shredos-dell-vostro-5581.log.
FIXTURE_SERIAL = "3FBJ6P2"
R = SanitisationRecord


def _disposal_batches(*, users, rng) -> int:
    made = 0
    for status in (DeviceStatus.RECYCLED, DeviceStatus.DESTROYED):
        devices = list(
            Device.objects.filter(status=status, disposal_item__isnull=True)
            .order_by("status_changed_at")
            .only("pk", "status_changed_at")
        )
        chunks = [devices[i : i + BATCH_SIZE] for i in range(0, len(devices), BATCH_SIZE)]
        for chunk, reference in zip(chunks, disposal_references(len(chunks)), strict=True):
            collected = timezone.localdate(chunk[-1].status_changed_at)
            old = collected < timezone.localdate() - datetime.timedelta(days=30)
            batch = DisposalBatch.objects.create(
                reference=reference,
                method=status,
                recycler=rng.choice(RECYCLERS),
                waste_transfer_note=f"WTN-{collected:%Y}-{rng.randint(1000, 9999)}",
                destruction_certificate=f"COD-{rng.randint(10000, 99999)}" if old else "",
                collected_on=collected,
                created_by=users["alice"],
            )
            DisposalItem.objects.bulk_create([DisposalItem(batch=batch, device=d) for d in chunk])
            made += 1
    return made


def _awaiting_verification(*, users, rng) -> int:
    """Some received laptops wiped today, waiting for the other technician's sign-off."""
    now = timezone.now()
    devices = (
        Device.objects.filter(
            status=DeviceStatus.RECEIVED, kind__in=[DeviceKind.LAPTOP, DeviceKind.DESKTOP], sanitisations__isnull=True
        )
        .prefetch_related("media")
        .order_by("received_at")[:16]
    )
    records = []
    for device, operator in zip(devices, itertools.cycle(["alice", "alice", "alice", "bob"]), strict=False):
        for medium in device.media.all():
            started = now - datetime.timedelta(hours=rng.randint(2, 30))
            records.append(
                SanitisationRecord(
                    device=device,
                    medium=medium,
                    cycle=device.cycle,
                    category=R.Category.CLEAR,
                    technique=R.Technique.OVERWRITE,
                    tool="nwipe",
                    tool_version="0.35",
                    rounds=1,
                    started_at=started,
                    ended_at=started + datetime.timedelta(minutes=rng.randint(25, 150)),
                    operator=users[operator],
                    result=R.Result.PASSED,
                    verification_result=R.Result.PASSED,
                    verification_method="nwipe read back the last pass and compared it with what was written",
                )
            )
    SanitisationRecord.objects.bulk_create(records)
    return len(records)


def _fixture_laptop(*, users, sites):
    if Device.objects.filter(serial=FIXTURE_SERIAL).exists():
        return None
    return device_register(
        actor=users["alice"],
        site=sites["DEPOT"],
        kind=DeviceKind.LAPTOP,
        make="Dell",
        model="Vostro 5581",
        serial=FIXTURE_SERIAL,
        cpu="Intel Core i7-8565U",
        ram_gb=8,
        storage_gb=576,
        storage_type=StorageType.NVME,
        os_name="Windows",
        os_version="10 Pro",
        tpm_version="2.0",
        source_department="Planning",
        lot=f"LOT-{timezone.localdate():%Y%m}",
        reason="Received from council IT (its ShredOS log is in the fixtures)",
    )


def seed(*, options: dict, stdout, context: dict) -> None:
    users, sites, rng = context["users"], context["sites"], context["rng"]
    if not Site.objects.exists():
        return
    with transaction.atomic():
        batches = _disposal_batches(users=users, rng=rng)
        waiting = _awaiting_verification(users=users, rng=rng)
        laptop = _fixture_laptop(users=users, sites=sites)
    ready = list(Device.objects.lendable().order_by("asset_tag")[:3])
    for device in ready:
        certificate_issue(devices=[device], actor=users["alice"])
    stdout.write(
        f"Sanitisation: {batches} disposal batches, {waiting} wipes awaiting verification, "
        f"{len(ready)} certificates"
        + (f"; {laptop.asset_tag} is the Dell Vostro in fixtures/nwipe (import_wipe_log it)" if laptop else "")
    )
