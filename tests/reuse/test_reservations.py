"""Reservations: one owner each, recorded explicitly, opened and ended with the move into and out of
`reserved`; the database allows one live reservation per device whoever asks."""

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from reuse.models import Reservation
from reuse.services.reservations import (
    live_reservation,
    reservation_hand_out,
    reservation_open,
    reservation_release,
)


def test_opening_reserves_the_device_for_its_owner(ready_device, alice):
    device = ready_device()
    reservation = reservation_open(device=device, owner="allocation", actor=alice, reason="For REQ-2026-0001")
    device.refresh_from_db()
    assert device.status == "reserved"
    assert live_reservation(device) == reservation
    assert reservation.description == "Reserved for a community group"
    last = device.events.order_by("-seq").first()
    assert (last.from_status, last.to_status, last.reason) == ("ready", "reserved", "For REQ-2026-0001")


def test_a_second_owner_is_refused_and_nothing_changes(ready_device, alice):
    device = ready_device()
    reservation_open(device=device, owner="hold", actor=alice, reason="Waiting list")
    events = device.events.count()
    with pytest.raises(DomainError) as error:
        reservation_open(device=device, owner="allocation", actor=alice, reason="Matching")
    assert error.value.code == "already_reserved"
    assert "a waiting-list borrower" in error.value.message
    assert Reservation.objects.filter(device=device).count() == 1
    assert device.events.count() == events


def test_a_device_that_is_not_ready_cannot_be_reserved(make_device, alice):
    device = make_device()
    with pytest.raises(DomainError) as error:
        reservation_open(device=device, owner="allocation", actor=alice, reason="Matching")
    assert error.value.code == "transition_not_allowed"
    assert not Reservation.objects.exists()


def test_releasing_returns_the_device_to_ready(ready_device, alice):
    device = ready_device()
    reservation = reservation_open(device=device, owner="allocation", actor=alice, reason="Matching")
    reservation_release(reservation=reservation, actor=alice, reason="Proposal rejected")
    device.refresh_from_db()
    reservation.refresh_from_db()
    assert device.status == "ready"
    assert (reservation.end, reservation.ended_by) == ("released", alice)
    assert live_reservation(device) is None
    with pytest.raises(DomainError) as error:
        reservation_release(reservation=reservation, actor=alice, reason="again")
    assert error.value.code == "reservation_ended"


@pytest.mark.parametrize("to_status", ["gifted", "on_loan"])
def test_handing_out_ends_the_reservation_and_moves_the_device(ready_device, alice, branch, to_status):
    device = ready_device()
    reservation = reservation_open(device=device, owner="allocation", actor=alice, reason="Matching")
    reservation_hand_out(reservation=reservation, to_status=to_status, actor=alice, reason="Handover", site=branch)
    device.refresh_from_db()
    reservation.refresh_from_db()
    assert (device.status, device.site) == (to_status, branch)
    assert reservation.end == "handed_out" and not reservation.is_live


def test_hand_out_only_to_a_handout_status(ready_device, alice):
    reservation = reservation_open(device=ready_device(), owner="hold", actor=alice, reason="x")
    with pytest.raises(ValueError):
        reservation_hand_out(reservation=reservation, to_status="ready", actor=alice, reason="x")


def test_the_database_allows_one_live_reservation_per_device(ready_device, alice):
    device = ready_device()
    reservation_open(device=device, owner="hold", actor=alice, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(device=device, owner="allocation")


def test_an_ended_reservation_must_say_how_it_ended(ready_device, alice):
    reservation = reservation_open(device=ready_device(), owner="hold", actor=alice, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.filter(pk=reservation.pk).update(ended_at=reservation.created_at)


def test_after_release_the_device_can_be_reserved_again(ready_device, alice):
    device = ready_device()
    first = reservation_open(device=device, owner="hold", actor=alice, reason="x")
    reservation_release(reservation=first, actor=alice, reason="cancelled")
    second = reservation_open(device=device, owner="allocation", actor=alice, reason="y")
    assert live_reservation(device) == second and second.owner == "allocation"


def test_the_device_page_says_who_the_device_is_kept_for(client, carl, ready_device, alice):
    device = ready_device()
    reservation_open(device=device, owner="allocation", actor=alice, reason="x")
    client.force_login(carl)
    page = client.get(device.get_absolute_url()).content.decode()
    assert "Reserved for a community group since" in page
