"""Reviewing proposals: accepting makes an allocation that owns the device's reservation (the device goes
to `reserved` through the lifecycle), a repeat gives the same allocation back, swaps must fit, rejections
and cancellations put devices back, and lending can tell a group's reservation from a hold's."""

import uuid

import pytest
from django.core import mail

from core.errors import DomainError
from lending.services.scanning import lending_problem
from matching.models import Allocation, Proposal
from matching.services.allocations import (
    allocation_cancel,
    proposal_accept,
    proposal_reject,
    proposals_decide,
    swap_candidates,
)
from matching.services.runs import match_run
from reuse.models import Reservation
from reuse.services.lifecycle import device_transition
from tests.matching.support import approved, line


@pytest.fixture
def proposed(branch, carl, ready_at):
    """A request for 2 laptops (webcam), two fitting laptops at the branch, and a committed run's proposals."""

    def build(**line_fields):
        req = approved(branch, carl, lines=[line("laptop", 2, webcam=True, **line_fields)])
        ready_at(branch)
        ready_at(branch)
        run = match_run(actor=carl, commit=True)
        return req, list(run.proposals.order_by("pk"))

    return build


def test_accepting_reserves_the_device_for_the_group(proposed, carl):
    req, [first, _second] = proposed()
    allocation = proposal_accept(proposal=first, actor=carl)
    first.device.refresh_from_db()
    first.refresh_from_db()
    assert first.device.status == "reserved" and first.status == "accepted"
    assert (allocation.request, allocation.device, allocation.reasons) == (req, first.device, first.reasons)
    reservation = allocation.reservation
    assert (reservation.owner, reservation.is_live, reservation.device) == ("allocation", True, first.device)
    event = first.device.events.order_by("-seq").first()
    assert (event.to_status, event.reason) == ("reserved", f"Allocated to community request {req.reference}")


def test_accepting_twice_gives_the_same_allocation_and_one_reservation(proposed, carl):
    _req, [first, _] = proposed()
    assert proposal_accept(proposal=first, actor=carl) == proposal_accept(proposal=first, actor=carl)
    assert Allocation.objects.count() == 1 and Reservation.objects.filter(device=first.device).count() == 1


def test_a_rejected_proposal_cannot_then_be_accepted(proposed, carl):
    _req, [first, _] = proposed()
    proposal_reject(proposal=first, actor=carl, note="Screen cracked")
    with pytest.raises(DomainError) as error:
        proposal_accept(proposal=first, actor=carl)
    assert error.value.code == "proposal_closed"
    first.device.refresh_from_db()
    assert first.device.status == "ready" and not Allocation.objects.exists()


def test_a_device_reserved_meanwhile_leaves_the_proposal_waiting(proposed, carl, alice):
    from reuse.services.reservations import reservation_open

    _req, [first, _] = proposed()
    reservation_open(device=first.device, owner="hold", actor=alice, reason="Waiting list")
    with pytest.raises(DomainError) as error:
        proposal_accept(proposal=first, actor=carl)
    assert error.value.code == "already_reserved"
    first.refresh_from_db()
    assert first.status == "proposed" and not Allocation.objects.exists()


def test_a_device_no_longer_ready_is_refused_by_the_lifecycle(proposed, carl, alice):
    _req, [first, _] = proposed()
    device_transition(device=first.device, to_status="received", actor=alice, reason="Fault found")
    with pytest.raises(DomainError) as error:
        proposal_accept(proposal=first, actor=carl)
    assert error.value.code == "transition_not_allowed"
    assert not Reservation.objects.exists()


def test_a_line_is_never_given_more_than_its_quantity(proposed, carl):
    req, [first, second] = proposed()
    proposal_accept(proposal=first, actor=carl)
    req.lines.update(quantity=1)
    with pytest.raises(DomainError) as error:
        proposal_accept(proposal=second, actor=carl)
    assert error.value.code == "line_full"


def test_a_swap_must_meet_the_line_and_is_recorded(proposed, carl, ready_at, branch):
    _req, [first, _] = proposed()
    no_webcam = ready_at(branch, webcam=False)
    fitting = ready_at(branch)
    assert no_webcam not in swap_candidates(first) and fitting in swap_candidates(first)
    assert first.device not in swap_candidates(first)  # proposed, pending
    with pytest.raises(DomainError) as error:
        proposal_accept(proposal=first, actor=carl, device=no_webcam)
    assert error.value.code == "device_does_not_fit"
    allocation = proposal_accept(proposal=first, actor=carl, device=fitting)
    first.refresh_from_db()
    first.device.refresh_from_db()
    assert (first.status, allocation.device, first.device.status) == ("swapped", fitting, "ready")
    assert (
        allocation.reasons[-1] == f"Swapped by a coordinator for {fitting.asset_tag} in place of the proposed device."
    )


def test_deciding_a_request_tells_the_group_once(proposed, carl, django_capture_on_commit_callbacks):
    req, proposals = proposed()
    with django_capture_on_commit_callbacks(execute=True):
        made, problems = proposals_decide(request=req, actor=carl, accept=proposals)
        again, _ = proposals_decide(request=req, actor=carl, accept=proposals)
    assert (len(made), problems, again) == (2, [], [])
    assert [m.subject.split(" (")[0] for m in mail.outbox] == ["Devices are ready for you to collect"]
    assert req.events.filter(kind="allocated").get().text == "Allocated: 2 laptops. Book a day to collect them."


def test_cancelling_an_allocation_puts_the_device_back(proposed, carl):
    req, [first, _] = proposed()
    allocation = proposal_accept(proposal=first, actor=carl)
    with pytest.raises(DomainError):
        allocation_cancel(allocation=allocation, actor=carl, reason="")
    allocation_cancel(allocation=allocation, actor=carl, reason="Battery failed")
    first.device.refresh_from_db()
    allocation.reservation.refresh_from_db()
    assert first.device.status == "ready" and allocation.reservation.end == "released"
    assert req.events.get(kind="unallocated").public


def test_lending_sees_a_groups_reservation_and_will_not_lend_it(proposed, carl, alice, branch, borrower):
    _req, [first, _] = proposed()
    proposal_accept(proposal=first, actor=carl)
    first.device.refresh_from_db()
    problem = lending_problem(first.device, site=branch, borrower=borrower)
    assert problem.code == "reserved" and "a community group" in problem.message


def test_the_review_page_confirms_a_requests_decisions(coordinator, proposed, carl):
    req, [first, second] = proposed()
    run_pk = first.run_id
    page = coordinator.get(f"/matching/runs/{run_pk}/").content.decode()
    assert first.device.asset_tag in page and "Tier 2 request" in page
    response = coordinator.post(
        f"/matching/runs/{run_pk}/requests/{req.reference}/review/",
        {f"decision-{first.pk}": "accept", f"decision-{second.pk}": "reject"},
    )
    assert response.url == f"/matching/runs/{run_pk}/#request-{req.reference}"
    assert list(Proposal.objects.order_by("pk").values_list("status", flat=True)) == ["accepted", "rejected"]
    # The same form sent again (a double click) changes nothing.
    coordinator.post(
        f"/matching/runs/{run_pk}/requests/{req.reference}/review/",
        {f"decision-{first.pk}": "accept", f"decision-{second.pk}": "reject"},
    )
    assert Allocation.objects.count() == 1 and Reservation.objects.count() == 1


def test_the_swap_page_lists_fitting_devices_and_allocates_the_one_chosen(coordinator, proposed, ready_at, branch):
    req, [first, _] = proposed()
    fitting = ready_at(branch)
    page = coordinator.get(f"/matching/proposals/{first.pk}/swap/").content.decode()
    assert fitting.asset_tag in page
    response = coordinator.post(f"/matching/proposals/{first.pk}/swap/", {"device": str(uuid.uuid4().int % 10**6)})
    assert response.status_code == 400 and "Choose one of the devices listed" in response.content.decode()
    response = coordinator.post(f"/matching/proposals/{first.pk}/swap/", {"device": fitting.pk})
    assert response.status_code == 302
    assert Allocation.objects.get().device == fitting
