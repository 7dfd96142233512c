"""Certificates of sanitisation: issue once, render the PDF once, keep it as issued.

A certificate names the devices and the exact wipe records and reset checklists it attests to.
Only devices whose wipe stands (they passed gate 1 in their current intake cycle) can be certified.
A one-device certificate is issued at most once per wipe; asking again returns the same one.
"""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from core.numbering import allocate_references
from core.qr import qr_data_uri
from core.roles import staff_name
from core.tasks import on_commit_task
from reuse.models import Certificate, CertificateEntry, Device, ResetChecklist, SanitisationRecord

# Certificates up to this many devices are rendered in the request that issues them; bigger
# batches go to the task worker so that nobody's browser waits on WeasyPrint.
RENDER_INLINE_MAX = 10


def certificate_number() -> str:
    """A new certificate number, `RLY-SC-000042`."""
    return allocate_references(f"{settings.ASSET_TAG_PREFIX}-SC", width=6, counter="certificate")[0]


def standing_evidence(device: Device) -> tuple[list[SanitisationRecord], list[ResetChecklist]]:
    """The passing, verified wipe records (latest per drive) and the complete reset checklist for the
    device's current cycle: what gate 1 accepted."""
    records: dict[int | None, SanitisationRecord] = {}
    for record in (
        SanitisationRecord.objects.passing()
        .filter(device=device, cycle=device.cycle)
        .order_by("medium_id", "-ended_at")
    ):
        records.setdefault(record.medium_id, record)
    checklist = next(
        (c for c in ResetChecklist.objects.filter(device=device, cycle=device.cycle) if c.is_complete), None
    )
    return list(records.values()), [checklist] if checklist else []


def _check_certifiable(devices: Sequence[Device]):
    not_wiped = [d for d in devices if not d.wipe_stands]
    if not_wiped:
        names = ", ".join(f"{d.asset_tag} ({d.get_status_display().lower()})" for d in not_wiped[:20])
        more = f" and {len(not_wiped) - 20} more" if len(not_wiped) > 20 else ""
        raise DomainError(
            "not_sanitised",
            f"Only devices marked sanitised in their current intake can be certified. Not yet: {names}{more}.",
            devices=[d.asset_tag for d in not_wiped],
        )


def mask_serial(serial: str) -> str:
    """Enough of a serial to match it against the drive or device in hand, not enough to list it."""
    if not serial:
        return "not recorded"
    return "•" * max(len(serial) - 4, 2) + serial[-4:]


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def entry_snapshot(device, records, checklists) -> dict:
    """What the public verification page shows of one device, frozen as it was when the certificate was
    issued: the device as described then and each wipe it certifies. Masked serials, no names."""
    return {
        "asset_tag": device.asset_tag,
        "make": device.make,
        "model": device.model,
        "kind": device.get_kind_display(),
        "serial": mask_serial(device.serial),
        "media": [
            {
                "kind": record.medium.get_kind_display() if record.medium else "Storage",
                "capacity_gb": record.medium.capacity_gb if record.medium else None,
                "serial": mask_serial(record.medium.serial if record.medium else ""),
                "category": record.get_category_display(),
                "technique": record.get_technique_display(),
                "rounds": record.rounds,
                "tool": f"{record.tool} {record.tool_version}".strip(),
                "ended_at": _iso(record.ended_at),
                "result": record.get_result_display(),
                "verification_result": record.get_verification_result_display(),
                "verified_at": _iso(record.verified_at),
                "standard": record.get_standard_display(),
                "evidence_sha256": record.evidence.sha256 if record.evidence else "",
            }
            for record in records
        ],
        "checklists": [{"completed_at": _iso(checklist.completed_at)} for checklist in checklists],
    }


@transaction.atomic
def _create(devices: Sequence[Device], actor, *, single: bool) -> Certificate:
    certificate = Certificate.objects.create(number=certificate_number(), issued_by=actor)
    records, checklists, entries = [], [], []
    for device in devices:
        found_records, found_checklists = standing_evidence(device)
        records += found_records
        checklists += found_checklists
        snapshot = entry_snapshot(device, found_records, found_checklists)
        entries.append(
            CertificateEntry(
                certificate=certificate, device=device, cycle=device.cycle, single=single, snapshot=snapshot
            )
        )
    CertificateEntry.objects.bulk_create(entries)
    certificate.records.add(*records)
    certificate.checklists.add(*checklists)
    on_commit_task("reuse.tasks.certificate_render", certificate.pk, inline=len(devices) <= RENDER_INLINE_MAX)
    return certificate


def certificate_issue(*, devices: Sequence[Device], actor) -> Certificate:
    """Issue a certificate for `devices` (one, or a batch in one document).

    Raises DomainError `not_sanitised` naming every device whose wipe does not stand, or
    `certificate_empty`. For one device, returns the certificate already issued for its current wipe
    if there is one.
    """
    devices = list(Device.objects.filter(pk__in=[d.pk for d in devices]).order_by("asset_tag"))
    if not devices:
        raise DomainError("certificate_empty", "Choose at least one device to certify.")
    _check_certifiable(devices)
    if len(devices) == 1:
        existing = Certificate.objects.filter(
            entries__device=devices[0], entries__cycle=devices[0].cycle, entries__single=True
        ).first()
        if existing:
            return existing
        try:
            return _create(devices, actor, single=True)
        except IntegrityError:  # a second click won the race: theirs is the certificate
            return Certificate.objects.get(
                entries__device=devices[0], entries__cycle=devices[0].cycle, entries__single=True
            )
    return _create(devices, actor, single=False)


def certificate_context(certificate: Certificate) -> dict:
    """What the PDF and the public verification page show, grouped by device, in tag order."""
    entries = list(certificate.entries.select_related("device"))
    records = certificate.records.select_related("medium", "operator", "verified_by", "evidence").order_by("medium_id")
    checklists = certificate.checklists.select_related("operator", "verified_by")
    by_device: dict[int, dict[str, Any]] = {
        e.device_id: {"entry": e, "device": e.device, "records": [], "checklists": []} for e in entries
    }
    for record in records:
        by_device[record.device_id]["records"].append(record)
    for checklist in checklists:
        by_device[checklist.device_id]["checklists"].append(checklist)
    return {
        "certificate": certificate,
        "devices": list(by_device.values()),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    # Imported here so that WeasyPrint loads in the processes that render, not in every web process.
    from core.pdf import render_pdf

    context = certificate_context(certificate)
    context["qr"] = qr_data_uri(certificate.verify_url)
    context["issued_by"] = staff_name(certificate.issued_by)
    context["rendered_at"] = timezone.now()
    return render_pdf("reuse/pdf/certificate.html", context)


def certificate_render(*, certificate: Certificate) -> Certificate:
    """Render and keep the certificate's PDF, once. Later calls return the stored document."""
    if certificate.pdf:
        return certificate
    pdf = certificate_pdf(certificate)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf), save=False)
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    updated = Certificate.objects.filter(pk=certificate.pk, pdf="").update(
        pdf=certificate.pdf.name, pdf_sha256=certificate.pdf_sha256
    )
    if updated != 1:  # rendered twice at once: keep the first, drop this copy
        certificate.pdf.storage.delete(certificate.pdf.name)
        certificate.refresh_from_db()
    return certificate
