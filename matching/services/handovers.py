"""Collections and handovers.

The group books a day its branch is open (from its status page) to collect what is allocated to it.
At the branch, desk staff of that branch (branch scoping, `core.scoping`) or a coordinator hand the
devices over: signed on screen, on paper, or read aloud and agreed, under the current numbered terms for
a gift or a long-term loan, frozen into the handover. Each device ends its reservation and moves through
`device_transition` to `gifted` (gate 2 checked there) or `on_loan`; follow-ups are scheduled and the
agreement PDF is emailed to the group.
"""

import datetime
import secrets
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.errors import DomainError
from core.numbering import allocate_references
from core.roles import ADMIN, COORDINATOR
from core.scoping import scoped
from core.signature import signature_checked
from core.tasks import on_commit_task
from matching.models import (
    Allocation,
    CollectionBooking,
    CommunityRequest,
    DayPart,
    FollowUp,
    Handover,
    HandoverKind,
    HandoverTerms,
    RequestEvent,
    RequestStatus,
)
from matching.services.requests import request_fulfil_if_complete
from reuse.models import Device, DeviceStatus, Reservation, Site
from reuse.services.lifecycle import device_transition
from reuse.services.reservations import reservation_hand_out

# Who may hand over at any branch: coordinators (and administrators); desk staff only at their own.
HANDS_OVER_ANYWHERE = (COORDINATOR, ADMIN)
BOOKING_DAYS_AHEAD = 21
# Devices not yet at the branch need a van: the earliest collection day is this many days out.
MOVE_DAYS = 3


def handover_branches(user) -> QuerySet[Site]:
    """The branches `user` may hand devices over at."""
    return scoped(Site.objects.active().branches(), user, site_field="pk", roles=HANDS_OVER_ANYWHERE)


def collection_days(request: CommunityRequest, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The days the group may choose: the branch open, from tomorrow (or MOVE_DAYS out if a device still has
    to be brought there) for BOOKING_DAYS_AHEAD days."""
    today = today or timezone.localdate()
    site = request.collection_site
    waiting = Allocation.objects.awaiting_handover().filter(request=request)
    elsewhere = waiting.exclude(device__site=site).exists()
    first = today + datetime.timedelta(days=MOVE_DAYS if elsewhere else 1)
    closed = set(site.closures.filter(date__gte=first).values_list("date", flat=True))
    days = [first + datetime.timedelta(days=n) for n in range(BOOKING_DAYS_AHEAD)]
    return [day for day in days if str(day.weekday()) in site.opening_days and day not in closed]


@transaction.atomic
def collection_book(*, request: CommunityRequest, date: datetime.date, part: str) -> CollectionBooking:
    """Book (or move) the group's collection. DomainError codes: nothing_to_collect, day_not_open, part_invalid."""
    request = CommunityRequest.objects.select_for_update().select_related("collection_site").get(pk=request.pk)
    if (
        request.status != RequestStatus.APPROVED
        or not Allocation.objects.awaiting_handover().filter(request=request).exists()
    ):
        raise DomainError("nothing_to_collect", "There is nothing waiting to be collected for this request yet.")
    if part not in DayPart.values:
        raise DomainError("part_invalid", "Choose the morning or the afternoon.")
    if date not in collection_days(request):
        raise DomainError(
            "day_not_open",
            f"{request.collection_site} is not open for collections on {date:%A %-d %B}; choose another day.",
        )
    request.bookings.live().update(cancelled_at=timezone.now())
    booking = CollectionBooking.objects.create(request=request, site=request.collection_site, date=date, part=part)
    RequestEvent.objects.create(
        request=request,
        kind=RequestEvent.Kind.BOOKED,
        text=f"Collection booked at {booking.site} on {date:%A %-d %B %Y}, {booking.get_part_display().lower()}.",
        public=True,
    )
    on_commit_task("matching.tasks.email_collection_booked", booking.pk)
    return booking


def _follow_ups(handover: Handover) -> None:
    day = handover.performed_on
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                handover=handover,
                request=handover.request,
                days=days,
                due_on=day + datetime.timedelta(days=days),
                token=secrets.token_urlsafe(32),
            )
            for days in settings.FOLLOW_UP_DAYS
        ]
    )


def handover_perform(
    *,
    request: CommunityRequest,
    site: Site,
    actor,
    kind: str,
    signed_by_name: str,
    signature_method: str,
    idempotency_key: uuid.UUID,
    signature_png: bytes | None = None,
    signed_by_role: str = "",
    connectivity: Sequence[str] = (),
    accessories: Sequence[str] = (),
) -> Handover:
    """Hand every device waiting for `request` over at `site`. Repeating the call with the same
    `idempotency_key` (a double click) returns the first handover. DomainError codes: not_your_branch,
    wrong_branch, nothing_to_collect, no_terms, name_missing, signature_missing, signature_invalid, and
    the lifecycle's (not_sanitised, transition_not_allowed) if a device may not be handed out."""
    existing = Handover.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return _perform(
                request=request,
                site=site,
                actor=actor,
                kind=kind,
                signed_by_name=signed_by_name,
                signed_by_role=signed_by_role,
                signature_method=signature_method,
                signature_png=signature_png,
                idempotency_key=idempotency_key,
                connectivity=connectivity,
                accessories=accessories,
            )
    except (IntegrityError, DomainError):
        existing = Handover.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
        raise


def _perform(
    *,
    request,
    site,
    actor,
    kind,
    signed_by_name,
    signed_by_role,
    signature_method,
    signature_png,
    idempotency_key,
    connectivity,
    accessories,
) -> Handover:
    if not handover_branches(actor).filter(pk=site.pk).exists():
        raise DomainError("not_your_branch", f"You cannot hand devices over at {site}.")
    request = CommunityRequest.objects.select_for_update().select_related("organisation").get(pk=request.pk)
    if request.collection_site_id != site.pk:
        raise DomainError("wrong_branch", f"{request.reference} collects from {request.collection_site}, not {site}.")
    waiting = list(
        Allocation.objects.awaiting_handover().filter(request=request).select_related("device", "line").order_by("pk")
    )
    if request.status != RequestStatus.APPROVED or not waiting:
        raise DomainError("nothing_to_collect", f"Nothing is waiting to be handed over for {request.reference}.")
    if kind not in HandoverKind.values:
        raise DomainError("kind_invalid", "Choose a gift or a long-term loan.")
    terms = HandoverTerms.current(kind)
    if terms is None:
        raise DomainError(
            "no_terms", "There are no terms for this kind of handover yet: an administrator must add them."
        )
    if not signed_by_name.strip():
        raise DomainError("name_missing", "Enter the name of the person signing for the organisation.")
    png = signature_checked(signature_method, signature_png)
    booking = request.bookings.live().first()
    handover = Handover.objects.create(
        reference=allocate_references("HO", width=4, yearly=True)[0],
        request=request,
        booking=booking,
        site=site,
        kind=kind,
        terms=terms,
        idempotency_key=idempotency_key,
        performed_by=actor,
        signed_by_name=signed_by_name.strip()[:120],
        signed_by_role=signed_by_role.strip()[:100],
        signature_method=signature_method,
        signature_png=png,
        connectivity=[c.strip() for c in connectivity if c.strip()],
        accessories=[a.strip() for a in accessories if a.strip()],
    )
    to_status = DeviceStatus.GIFTED if kind == HandoverKind.GIFT else DeviceStatus.ON_LOAN
    verb = "Gifted to" if kind == HandoverKind.GIFT else "Lent long-term to"
    for allocation in waiting:
        reservation_hand_out(
            reservation=Reservation.objects.get(pk=allocation.reservation_id),
            to_status=to_status,
            actor=actor,
            site=site,
            reason=f"{verb} {request.organisation} ({handover.reference}, {request.reference})",
        )
        Allocation.objects.filter(pk=allocation.pk).update(handover=handover)
    if booking:
        CollectionBooking.objects.filter(pk=booking.pk).update(done_at=timezone.now())
    _follow_ups(handover)
    what = "gift" if kind == HandoverKind.GIFT else "long-term loan"
    RequestEvent.objects.create(
        request=request,
        kind=RequestEvent.Kind.HANDED_OVER,
        actor=actor,
        text=f"{len(waiting)} device{'s' if len(waiting) != 1 else ''} handed over at {site} as a {what} "
        f"({handover.reference}).",
        public=True,
    )
    request_fulfil_if_complete(request=request)
    on_commit_task("matching.tasks.email_handover", handover.pk)
    return handover


@transaction.atomic
def handover_device_returned(*, allocation: Allocation, actor, site: Site) -> Allocation:
    """A device lent long-term to an organisation comes back: it goes back to `received`, to be wiped again
    (it has held the organisation's users' data). Gifts are the organisation's and cannot come back here."""
    allocation = Allocation.objects.select_related("handover", "device", "request").get(pk=allocation.pk)
    if allocation.handover is None or allocation.handover.is_gift:
        raise DomainError("not_lent", "Only devices lent long-term come back this way.")
    updated = Allocation.objects.filter(pk=allocation.pk, returned_at__isnull=True).update(returned_at=timezone.now())
    if updated != 1:
        raise DomainError("already_returned", f"{allocation.device.asset_tag} is already back.")
    device_transition(
        device=Device.objects.get(pk=allocation.device_id),
        to_status=DeviceStatus.RECEIVED,
        actor=actor,
        site=site,
        reason=f"Back from {allocation.request.organisation} ({allocation.handover.reference}); wipe it again",
    )
    RequestEvent.objects.create(
        request=allocation.request,
        kind=RequestEvent.Kind.RETURNED,
        actor=actor,
        text=f"{allocation.device.asset_tag} came back to {site}.",
        public=True,
    )
    allocation.refresh_from_db()
    return allocation
