"""Matching's part of a device's timeline (core.timeline): allocations to a community request, their
cancellation, handovers and long-term loans coming back. Two queries, whatever the history.

Coordinators see the organisation's name and the links to the request and the handover; other staff see
the request's reference only. Nobody sees the contact or who signed: that is personal data.
"""

from collections.abc import Iterable, Sequence

from core.roles import COORDINATOR, has_role, staff_name
from core.timeline import Entry, register
from matching.models import Allocation


def allocation_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    coordinator = has_role(viewer, COORDINATOR)
    allocations = Allocation.objects.filter(device_id__in=device_ids).select_related(
        "request",
        "request__organisation",
        "created_by",
        "cancelled_by",
        "handover",
        "handover__site",
        "handover__performed_by",
    )
    for a in allocations:
        request = a.request
        named = f"{request.reference} ({request.organisation.name})" if coordinator else request.reference
        link = request.get_absolute_url() if coordinator else ""
        who = staff_name(a.created_by) if a.created_by else ""
        yield Entry(a.created_at, "allocation", f"Allocated to request {named}", "", who, link)
        if a.cancelled_at:
            by = staff_name(a.cancelled_by) if a.cancelled_by else ""
            yield Entry(
                a.cancelled_at, "allocation", f"Allocation to {request.reference} cancelled", a.cancel_reason, by, link
            )
        if a.handover:
            h = a.handover
            title = f"Handed over ({h.get_kind_display().split(':')[0].lower()}) for request {named}"
            hlink = h.get_absolute_url() if coordinator else ""
            yield Entry(
                h.performed_at, "handover", title, f"At {h.site}, {h.reference}", staff_name(h.performed_by), hlink
            )
        if a.returned_at:
            yield Entry(a.returned_at, "handover", f"Back from request {request.reference}", "", "", link)


def register_providers() -> None:
    register("matching.allocations", allocation_entries)
