"""Waiting lists: devices that become ready at a branch are reserved for the next person waiting."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from lending.models import Hold
from lending.services.holds import hold_cancel, hold_place, hold_position, holds_expire
from lending.services.loans import loan_return
from reuse.models import Reservation
from reuse.services.lifecycle import device_move


@pytest.fixture
def waiting(make_borrower, branch, dina):
    def place(kind="laptop", **fields):
        return hold_place(borrower=make_borrower(**fields), site=branch, device_kind=kind, actor=dina)

    return place


def arrive(device, site, actor, capture):
    """Send a ready device to a branch, running what happens after commit (the device_changed signal)."""
    with capture(execute=True):
        device_move(device=device, site=site, actor=actor, reason="To the branch")
    device.refresh_from_db()
    return device


def test_queue_is_first_come_first_served(waiting):
    first, second = waiting(), waiting()
    assert (hold_position(first), hold_position(second)) == (1, 2)


def test_nobody_joins_a_queue_while_a_device_is_on_the_shelf(lendable, waiting):
    lendable()
    with pytest.raises(DomainError) as error:
        waiting()
    assert error.value.code == "device_available"


def test_one_live_hold_per_borrower_type_and_branch(make_borrower, branch, dina):
    person = make_borrower()
    hold_place(borrower=person, site=branch, device_kind="laptop", actor=dina)
    with pytest.raises(DomainError) as error:
        hold_place(borrower=person, site=branch, device_kind="laptop", actor=dina)
    assert error.value.code == "already_waiting"
    hold_place(borrower=person, site=branch, device_kind="tablet", actor=dina)


def test_device_ready_at_the_branch_is_reserved_for_the_first_in_line(
    ready_device, waiting, branch, alice, django_capture_on_commit_callbacks
):
    first = waiting(email="first@example.com")
    second = waiting()
    device = arrive(ready_device(), branch, alice, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    second.refresh_from_db()
    assert device.status == "reserved"
    assert (first.status, first.device) == ("offered", device)
    assert first.collect_by >= timezone.localdate() + datetime.timedelta(days=5)
    assert branch.is_open_on(first.collect_by)
    assert second.status == "waiting"
    assert first.notified_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["first@example.com"]
    assert "reserved" in device.events.order_by("-seq").first().to_status


def test_borrower_without_email_is_listed_to_phone(
    ready_device, waiting, branch, alice, dina, client, django_capture_on_commit_callbacks
):
    hold = waiting(phone="07700 900123", name="Derek Phoneonly")
    arrive(ready_device(), branch, alice, django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    assert hold.status == "offered" and hold.notified_at is None
    assert not mail.outbox
    client.force_login(dina)
    page = client.get(f"/desk/{branch.code}/").content.decode()
    assert "Derek Phoneonly" in page and "07700 900123" in page
    client.post(f"/holds/{hold.pk}/told/")
    hold.refresh_from_db()
    assert hold.notified_at is not None


def test_device_of_another_type_does_not_fill_the_hold(
    ready_device, waiting, branch, alice, django_capture_on_commit_callbacks
):
    hold = waiting(kind="tablet")
    device = arrive(ready_device(kind="laptop"), branch, alice, django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    assert hold.status == "waiting" and device.status == "ready"


def test_lending_to_the_holder_converts_the_reservation(
    ready_device, waiting, branch, alice, issue, make_borrower, django_capture_on_commit_callbacks
):
    hold = waiting()
    device = arrive(ready_device(), branch, alice, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError) as error:
        issue(device, make_borrower())
    assert error.value.code == "reserved"
    loan = issue(device, hold.borrower)
    hold.refresh_from_db()
    device.refresh_from_db()
    assert (hold.status, hold.loan) == ("fulfilled", loan)
    assert device.status == "on_loan"


def test_uncollected_reservation_passes_to_the_next_person(
    ready_device, waiting, branch, alice, django_capture_on_commit_callbacks
):
    first, second = waiting(), waiting()
    device = arrive(ready_device(), branch, alice, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert holds_expire(today=first.collect_by) == 0  # still the last day to collect
        assert holds_expire(today=first.collect_by + datetime.timedelta(days=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    device.refresh_from_db()
    assert first.status == "expired"
    assert (second.status, second.device) == ("offered", device)
    assert device.status == "reserved"
    assert list(device.events.order_by("seq").values_list("to_status", flat=True))[-3:] == [
        "reserved",
        "ready",
        "reserved",
    ]


def test_cancelling_an_offer_frees_the_device(
    ready_device, waiting, branch, alice, dina, django_capture_on_commit_callbacks
):
    hold = waiting()
    device = arrive(ready_device(), branch, alice, django_capture_on_commit_callbacks)
    hold.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        hold_cancel(hold=hold, actor=dina)
    device.refresh_from_db()
    hold.refresh_from_db()
    assert (hold.status, device.status) == ("cancelled", "ready")


def test_returned_device_is_not_offered_until_wiped_again(
    lendable, borrower, issue, waiting, branch, dina, django_capture_on_commit_callbacks
):
    device = lendable()
    loan = issue(device, borrower)
    hold = waiting()
    with django_capture_on_commit_callbacks(execute=True):
        loan_return(loan=loan, actor=dina, site=branch)
    hold.refresh_from_db()
    assert hold.status == "waiting"


def test_database_allows_one_live_reservation_per_device(
    ready_device, waiting, branch, alice, django_capture_on_commit_callbacks
):
    _first, second = waiting(), waiting()
    device = arrive(ready_device(), branch, alice, django_capture_on_commit_callbacks)
    first_reservation = Reservation.objects.live().get(device=device)
    assert first_reservation.owner == "hold" and first_reservation.hold.status == "offered"
    with pytest.raises(IntegrityError), transaction.atomic():
        reservation = Reservation.objects.create(device=device, owner="hold")
        Hold.objects.filter(pk=second.pk).update(status="offered", device=device, reservation=reservation)
