"""Waiting lists: one queue per device type per branch, served first come, first served.

When a device becomes ready at a branch (`reuse.signals.device_changed`, after commit), the oldest
waiting hold for its type there is offered it: the hold opens a reservation (reuse's record of who a
device is kept for, which moves it to `reserved`) and the device is kept for HOLD_PICKUP_DAYS open days.
The borrower is emailed if they have an address; otherwise the desk home lists them to phone. A
reservation not collected in time goes back to `ready`, which offers it to the next person in the same way.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError
from core.tasks import on_commit_task
from lending.models import Borrower, Hold
from lending.services.loans import due_date_for
from lending.services.messages import message_channel
from reuse.models import Device, Reservation, Site
from reuse.services.reservations import reservation_open, reservation_release

log = logging.getLogger(__name__)


def hold_place(*, borrower: Borrower, site: Site, device_kind: str, actor) -> Hold:
    """Put `borrower` on `site`'s waiting list for `device_kind`."""
    lendable = Device.objects.lendable().filter(site=site, kind=device_kind)
    if lendable.exists():
        raise DomainError(
            "device_available",
            "There is one ready at this branch now: scan it and lend it instead of joining the waiting list.",
        )
    try:
        with transaction.atomic():
            return Hold.objects.create(borrower=borrower, site=site, device_kind=device_kind, created_by=actor)
    except IntegrityError:
        raise DomainError(
            "already_waiting", f"{borrower.name} is already on this branch's waiting list for that type of device."
        ) from None


def hold_position(hold: Hold) -> int:
    """1 for the next person to be offered a device, 2 for the one after, and so on."""
    earlier = Q(created_at__lt=hold.created_at) | Q(created_at=hold.created_at, pk__lte=hold.pk)
    return Hold.objects.filter(
        earlier, site=hold.site_id, device_kind=hold.device_kind, status=Hold.Status.WAITING
    ).count()


def hold_offer_next(*, device_id: int) -> Hold | None:
    """Reserve a device that has just become ready for the next person waiting for its type there."""
    try:
        with transaction.atomic():
            return _offer(device_id)
    except IntegrityError:
        return None  # another worker offered this hold first
    except DomainError as error:  # `already_reserved`: another owner reserved the device first
        log.info("Device %s not offered to a hold: %s", device_id, error.code)
        return None


def _offer(device_id: int) -> Hold | None:
    device = Device.objects.select_for_update().select_related("site").get(pk=device_id)
    if not device.is_lendable or device.site.kind != Site.Kind.BRANCH:
        return None
    hold = (
        Hold.objects.select_for_update()
        .filter(site=device.site, device_kind=device.kind, status=Hold.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if hold is None:
        return None
    collect_by = due_date_for(site=device.site, loan_days=settings.HOLD_PICKUP_DAYS)
    reservation = reservation_open(
        device=device,
        owner=Reservation.Owner.HOLD,
        actor=None,
        site=device.site,
        reason=f"Reserved for waiting-list hold {hold.pk}",
    )
    updated = Hold.objects.filter(pk=hold.pk, status=Hold.Status.WAITING).update(
        status=Hold.Status.OFFERED,
        device=device,
        reservation=reservation,
        offered_at=timezone.now(),
        collect_by=collect_by,
    )
    if updated != 1:
        raise IntegrityError("the hold changed while it was being offered")  # undoes the reservation
    hold.refresh_from_db()
    if message_channel(hold.borrower):  # by text or email; otherwise the desk's list says to phone them
        on_commit_task("lending.tasks.notify_hold", hold.pk)
    log.info("Device %s reserved for hold %s", device.pk, hold.pk)
    return hold


@transaction.atomic
def hold_mark_notified(*, hold: Hold, actor) -> Hold:
    """Staff have told the borrower (by phone) that their device is waiting."""
    Hold.objects.filter(pk=hold.pk, status=Hold.Status.OFFERED, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    hold.refresh_from_db()
    return hold


def _release(hold: Hold, *, to: str, actor, reason: str) -> Hold:
    with transaction.atomic():
        updated = Hold.objects.filter(pk=hold.pk, status=hold.status).update(status=to, closed_at=timezone.now())
        if updated != 1:
            raise DomainError("hold_changed", "This hold has just changed; look again.")
        if hold.status == Hold.Status.OFFERED and hold.reservation_id:
            reservation = Reservation.objects.get(pk=hold.reservation_id)
            if reservation.is_live:
                # Back to ready: the device_changed signal then offers it to the next person waiting.
                reservation_release(reservation=reservation, actor=actor, reason=reason)
    hold.refresh_from_db()
    return hold


def hold_cancel(*, hold: Hold, actor) -> Hold:
    if not hold.is_live:
        raise DomainError("hold_closed", "This hold has already ended.")
    return _release(hold, to=Hold.Status.CANCELLED, actor=actor, reason=f"Waiting-list hold {hold.pk} cancelled")


def holds_expire(*, today=None) -> int:
    """Release reservations nobody collected by their date. Returns how many were released."""
    today = today or timezone.localdate()
    expired = 0
    for hold in Hold.objects.filter(status=Hold.Status.OFFERED, collect_by__lt=today):
        try:
            _release(
                hold, to=Hold.Status.EXPIRED, actor=None, reason=f"Waiting-list hold {hold.pk} not collected in time"
            )
            expired += 1
        except DomainError:
            continue
    return expired
