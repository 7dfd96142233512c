"""Allocation confirm is idempotent under a real race (issue 11): a double click, or two coordinators
confirming the same proposal at the same moment, make exactly one allocation and one reservation. Each
call runs in its own thread and database connection (SQLite queues the writers; PostgreSQL locks rows)."""

import pytest

from core.roles import COORDINATOR
from matching.models import Allocation
from matching.services.allocations import proposal_accept
from matching.services.runs import match_run
from reuse.models import Reservation
from tests.factories import make_user
from tests.lending.test_race import skip_on_in_memory_sqlite
from tests.matching.support import approved, line
from tests.races import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_confirmations_at_once_make_one_allocation(branch, carl, ready_at):
    skip_on_in_memory_sqlite()
    other = make_user("cora", COORDINATOR)
    approved(branch, carl, lines=[line("laptop", 1)])
    device = ready_at(branch)
    [proposal] = match_run(actor=carl, commit=True).proposals.all()
    results = run_at_once(
        lambda: proposal_accept(proposal=proposal, actor=carl),
        lambda: proposal_accept(proposal=proposal, actor=other),
    )
    assert all(isinstance(r, Allocation) for r in results), results
    assert results[0].pk == results[1].pk
    assert Allocation.objects.count() == 1
    assert Reservation.objects.filter(device=device).count() == 1
    device.refresh_from_db()
    assert device.status == "reserved" and device.events.filter(to_status="reserved").count() == 1


def test_two_proposals_of_one_device_from_different_requests_reserve_it_once(branch, carl, ready_at):
    """A stale proposal and a fresh one for the same device (one run superseded while a tab stayed open):
    confirmed at once, one wins and the other is told plainly."""
    skip_on_in_memory_sqlite()
    approved(branch, carl, lines=[line("laptop", 1)])
    device = ready_at(branch)
    [stale] = match_run(actor=carl, commit=True).proposals.all()
    stale.__class__.objects.filter(pk=stale.pk).update(status="proposed")  # as if still open in a tab
    approved(branch, carl, tier=1, organisation_name="Second Group", charity_number="", lines=[line("laptop", 1)])
    [fresh] = match_run(actor=carl, commit=True).proposals.all()
    stale.__class__.objects.filter(pk=stale.pk).update(status="proposed")
    results = run_at_once(
        lambda: proposal_accept(proposal=stale, actor=carl), lambda: proposal_accept(proposal=fresh, actor=carl)
    )
    made = [r for r in results if isinstance(r, Allocation)]
    refused = [r for r in results if not isinstance(r, Allocation)]
    assert len(made) == 1 and len(refused) == 1, results
    assert refused[0].code in ("already_reserved", "transition_not_allowed", "concurrent_change")
    assert Reservation.objects.filter(device=device, ended_at__isnull=True).count() == 1


def test_double_click_on_hand_over_gives_one_handover(branch, carl, dina, ready_at):
    """The branch's "hand over" clicked twice (one form, one idempotency key), both requests at once: one
    handover, each device gifted once with one custody event, the reservation ended once."""
    import uuid

    from matching.models import Handover
    from reuse.services.audit import audit_verify
    from tests.matching.support import allocate_all, hand_over

    skip_on_in_memory_sqlite()
    req = approved(branch, carl, lines=[line("laptop", 1)])
    device = ready_at(branch)
    allocate_all(req, carl)
    key = uuid.uuid4()
    results = run_at_once(*[lambda: hand_over(req, branch, dina, idempotency_key=key) for _ in range(2)])
    assert all(isinstance(r, Handover) for r in results), results
    assert results[0].pk == results[1].pk and Handover.objects.count() == 1
    device.refresh_from_db()
    assert device.status == "gifted" and device.events.filter(to_status="gifted").count() == 1
    assert not Reservation.objects.filter(device=device, ended_at__isnull=True).exists()
    assert audit_verify()[1] == []


def test_two_desks_handing_over_one_request_at_once_hand_it_over_once(branch, carl, dina, ready_at):
    """Two staff at the branch each hand over the same group's devices (two forms): one handover; the other
    is told there is nothing left to collect."""
    from matching.models import Handover
    from tests.matching.support import allocate_all, hand_over

    skip_on_in_memory_sqlite()
    other = make_user("dora", "Library desk", [branch])
    req = approved(branch, carl, lines=[line("laptop", 1)])
    device = ready_at(branch)
    allocate_all(req, carl)
    results = run_at_once(lambda: hand_over(req, branch, dina), lambda: hand_over(req, branch, other))
    made = [r for r in results if isinstance(r, Handover)]
    refused = [r for r in results if not isinstance(r, Handover)]
    assert len(made) == 1 and len(refused) == 1, results
    assert refused[0].code in ("nothing_to_collect", "concurrent_change", "transition_not_allowed"), refused[0]
    assert Handover.objects.count() == 1
    device.refresh_from_db()
    assert device.status == "gifted" and device.events.filter(to_status="gifted").count() == 1
