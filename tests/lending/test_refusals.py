"""The desk says exactly why a scanned device cannot be lent, and then asks for no card."""

from lending.services.holds import hold_place
from reuse.models import Reservation
from reuse.services.reservations import reservation_open
from tests.factories import SiteFactory


def desk_page(desk, branch, device, borrower=None):
    query = f"?device={device.pk}" + (f"&borrower={borrower.key}" if borrower else "")
    return desk.get(f"/desk/{branch.code}/{query}").content.decode()


def test_a_device_at_another_branch_says_where_it_is_and_asks_for_no_card(desk, ready_device, branch, alice):
    from reuse.services.lifecycle import device_move

    westfield = SiteFactory(code="WEST", name="Westfield Library", kind="branch")
    device = ready_device()
    device_move(device=device, site=westfield, actor=alice, reason="To Westfield")
    body = desk_page(desk, branch, device)
    assert 'data-problem="not_at_branch"' in body
    assert f"{device.asset_tag} is at Westfield Library, not Central Library. Send it here first" in body
    assert "data-wipe" not in body
    assert "scan the borrower" not in body.lower() and "data-no-card" in body


def test_an_unwiped_device_elsewhere_is_first_said_to_be_elsewhere(desk, make_device, branch):
    body = desk_page(desk, branch, make_device())
    assert 'data-problem="not_at_branch"' in body and "Civic Centre IT Depot" in body
    assert "once IT has it ready" in body


def test_an_unwiped_device_here_needs_a_wipe(desk, make_device, branch):
    body = desk_page(desk, branch, make_device(site=branch))
    assert 'data-problem="not_sanitised"' in body and "data-no-card" in body


def test_a_device_reserved_for_a_community_group(desk, lendable, branch, alice):
    device = lendable()
    reservation_open(device=device, owner=Reservation.Owner.ALLOCATION, actor=alice, reason="Allocated")
    body = desk_page(desk, branch, device)
    assert 'data-problem="reserved"' in body and "reserved for a community group" in body
    assert "data-no-card" in body and "Issue loan" not in body


def test_a_device_kept_for_someone_else_on_the_waiting_list(
    desk, ready_device, make_borrower, borrower, branch, dina, alice, django_capture_on_commit_callbacks
):
    from reuse.services.lifecycle import device_move

    waiting = make_borrower(name="First In Line")
    hold_place(borrower=waiting, site=branch, device_kind="laptop", actor=dina)
    device = ready_device()
    with django_capture_on_commit_callbacks(execute=True):  # arriving at the branch offers it to the first in line
        device_move(device=device, site=branch, actor=alice, reason="To the branch")
    device.refresh_from_db()
    assert device.status == "reserved"
    body = desk_page(desk, branch, device, borrower)
    assert 'data-problem="reserved"' in body and "reserved for someone else on the waiting list" in body
    assert "Issue loan" not in body
    assert 'data-problem="reserved"' not in desk_page(desk, branch, device, waiting)


def test_a_device_already_on_loan(desk, lendable, borrower, make_borrower, issue, branch):
    device = lendable()
    issue(device, borrower)
    body = desk_page(desk, branch, device, make_borrower())
    assert 'data-problem="already_on_loan"' in body and "Take it back" in body and "Issue loan" not in body
