"""Reservations: a device kept for one owner, opened and ended together with its move into and out of
`reserved`.

The owner's app (lending's waiting list, matching's allocations) calls these and keeps its own record
pointing at the reservation; the database allows one live reservation per device, so of two owners
asking at the same moment exactly one gets it (the other gets DomainError `already_reserved`).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from reuse.models import Device, DeviceStatus, Reservation, ReservationEnd, Site
from reuse.services.lifecycle import device_transition

HANDOUT = frozenset({DeviceStatus.ON_LOAN, DeviceStatus.GIFTED})


def live_reservation(device: Device) -> Reservation | None:
    """The device's live reservation, if it has one."""
    return Reservation.objects.live().filter(device_id=device.pk).first()


@transaction.atomic
def reservation_open(*, device: Device, owner: str, actor, reason: str, site: Site | None = None) -> Reservation:
    """Reserve a ready device for `owner` (a `Reservation.Owner`) and move it to `reserved`.

    DomainError `already_reserved` when it has a live reservation already; `device_transition`'s codes
    (`transition_not_allowed`, `not_sanitised`, `concurrent_change`) when it is not ready.
    """
    try:
        with transaction.atomic():
            reservation = Reservation.objects.create(device=device, owner=owner, reason=reason[:300], created_by=actor)
    except IntegrityError:
        other = live_reservation(device)
        held_by = other.get_owner_display() if other else "someone else"
        raise DomainError("already_reserved", f"{device.asset_tag} is already reserved for {held_by}.") from None
    device_transition(device=device, to_status=DeviceStatus.RESERVED, actor=actor, reason=reason, site=site)
    return reservation


def _end(reservation: Reservation, *, end: str, actor) -> None:
    ended = Reservation.objects.filter(pk=reservation.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=actor, end=end
    )
    if ended != 1:
        raise DomainError("reservation_ended", "This reservation has already ended.")
    reservation.refresh_from_db()


@transaction.atomic
def reservation_release(*, reservation: Reservation, actor, reason: str) -> Reservation:
    """End a reservation without handing the device out: it goes back to `ready` (if it is still reserved)."""
    _end(reservation, end=ReservationEnd.RELEASED, actor=actor)
    device = Device.objects.get(pk=reservation.device_id)
    if device.status == DeviceStatus.RESERVED:
        device_transition(device=device, to_status=DeviceStatus.READY, actor=actor, reason=reason)
    return reservation


@transaction.atomic
def reservation_hand_out(
    *, reservation: Reservation, to_status: str, actor, reason: str, site: Site | None = None
) -> Device:
    """The device goes to its owner: the reservation ends and the device moves to `to_status` (on loan or
    gifted), through `device_transition` and its gates."""
    if to_status not in HANDOUT:
        raise ValueError(f"a reservation is handed out as on_loan or gifted, not {to_status}")
    _end(reservation, end=ReservationEnd.HANDED_OUT, actor=actor)
    device = Device.objects.get(pk=reservation.device_id)
    return device_transition(device=device, to_status=to_status, actor=actor, reason=reason, site=site)
