"""reuse's parts of a device's timeline (core.timeline): custody events, wipes and their verification,
reset checklists, certificates, label prints, reservations and disposal. One query per kind of record.

Custody events are told in words: a move reads "Moved from Depot to Central Library" (not "Ready for
reuse -> Ready for reuse"), a note (a drive added, an identity changed) reads as its reason, and a
correction names what it undid.
"""

from collections.abc import Iterable, Sequence

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse

from core.roles import IT, has_role, staff_name
from core.timeline import Entry, register
from reuse.models import (
    Certificate,
    CustodyEvent,
    DeviceStatus,
    DisposalItem,
    LabelJob,
    Reservation,
    ResetChecklist,
    SanitisationRecord,
)
from reuse.services.lifecycle import corrected_seq


def _label(status: str) -> str:
    return DeviceStatus(status).label if status else "New"


def custody_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    events = CustodyEvent.objects.filter(device_id__in=device_ids).select_related("actor", "site")
    last_site: dict[int, object] = {}
    for event in events.order_by("device_id", "seq"):
        before = last_site.get(event.device_id)
        last_site[event.device_id] = event.site
        actor = staff_name(event.actor) if event.actor else ""
        if not event.from_status:
            yield Entry(event.at, "received", f"Received at {event.site}", event.reason, actor)
        elif corrected_seq(event.reason) is not None:
            title = f"Corrected: back from {_label(event.from_status).lower()} to {_label(event.to_status).lower()}"
            yield Entry(event.at, "correction", title, event.reason, actor)
        elif event.from_status != event.to_status:
            title = f"{_label(event.from_status)} → {_label(event.to_status)}"
            if before is not None and event.site_id != getattr(before, "pk", None):
                title += f", moved from {before} to {event.site}"  # a status change that also took it elsewhere
            yield Entry(event.at, "status", title, event.reason, actor)
        elif before is not None and event.site_id != getattr(before, "pk", None):
            detail = "" if event.reason.startswith("Moved from") else event.reason
            yield Entry(event.at, "move", f"Moved from {before} to {event.site}", detail, actor)
        else:
            yield Entry(event.at, "note", event.reason or "Noted in the custody record", "", actor)


def sanitisation_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    records = SanitisationRecord.objects.filter(device_id__in=device_ids).select_related(
        "medium", "operator", "verified_by"
    )
    for r in records:
        what = r.medium.description if r.medium else "the device"
        detail = f"{r.get_technique_display()}, {r.tool} {r.tool_version}".strip()
        yield Entry(
            r.ended_at, "wipe", f"Wiped: {what} ({r.get_result_display().lower()})", detail, staff_name(r.operator)
        )
        if r.verified_by and r.verified_at:
            outcome = r.get_verification_result_display().lower() or "checked"
            yield Entry(
                r.verified_at, "verification", f"Wipe verified: {what} ({outcome})", "", staff_name(r.verified_by)
            )
    for c in ResetChecklist.objects.filter(device_id__in=device_ids).select_related("operator", "verified_by"):
        done = "all items done" if not c.missing_items else f"still to do: {', '.join(c.missing_items)}"
        yield Entry(c.completed_at, "checklist", "Reset checklist recorded", done, staff_name(c.operator))


def certificate_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    it = has_role(viewer, IT)
    certificates = Certificate.objects.filter(entries__device_id__in=device_ids).select_related("issued_by").distinct()
    for c in certificates:
        link = c.get_absolute_url() if it else ""
        yield Entry(c.issued_at, "certificate", f"Certificate {c.number} issued", "", staff_name(c.issued_by), link)


def label_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    from reuse.models import Device

    tags = list(Device.objects.filter(pk__in=device_ids).values_list("asset_tag", flat=True)[:50])
    if not tags:
        return
    # A job keeps its tags as a JSON list; its text holds each one in quotes, on SQLite and PostgreSQL alike.
    wanted = Q()
    for tag in tags:
        wanted |= Q(text__contains=f'"{tag}"')
    jobs = (
        LabelJob.objects.filter(kind=LabelJob.Kind.DEVICES, status=LabelJob.Status.DONE)
        .annotate(text=Cast("tags", CharField()))
        .filter(wanted)
        .select_related("created_by", "template")
    )
    for job in jobs:
        link = reverse("reuse:label-job", args=[job.pk]) if has_role(viewer, IT) else ""
        at = job.finished_at or job.created_at
        actor = staff_name(job.created_by) if job.created_by else ""
        yield Entry(at, "label", "Label printed", f"{job.template.name}, {job.count} labels in the job", actor, link)


def reservation_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    for r in Reservation.objects.filter(device_id__in=device_ids).select_related("created_by", "ended_by"):
        who = staff_name(r.created_by) if r.created_by else ""
        yield Entry(r.created_at, "reservation", f"Reserved for {r.get_owner_display()}", r.reason, who)
        if r.ended_at:
            ended_by = staff_name(r.ended_by) if r.ended_by else ""
            yield Entry(r.ended_at, "reservation", f"Reservation ended: {r.get_end_display().lower()}", "", ended_by)


def disposal_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    items = DisposalItem.objects.filter(device_id__in=device_ids).select_related("batch", "batch__created_by")
    for item in items:
        batch = item.batch
        link = batch.get_absolute_url() if has_role(viewer, IT) else ""
        title = f"{batch.get_method_display()}d in disposal batch {batch.reference}"
        yield Entry(batch.created_at, "disposal", title, batch.recycler, staff_name(batch.created_by), link)


def register_providers() -> None:
    register("reuse.custody", custody_entries)
    register("reuse.sanitisation", sanitisation_entries)
    register("reuse.certificates", certificate_entries)
    register("reuse.labels", label_entries)
    register("reuse.reservations", reservation_entries)
    register("reuse.disposal", disposal_entries)
