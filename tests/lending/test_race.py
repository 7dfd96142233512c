"""Two desks lending the same device at the same moment: exactly one loan, the other a plain message.

Each desk runs in its own thread with its own database connection, so this is a real race on both
SQLite (IMMEDIATE transactions queue writers) and PostgreSQL (the device row is locked).
"""

import uuid

import pytest
from django.db import connection

from core.errors import DomainError
from lending.models import Loan
from lending.services.loans import loan_issue
from tests.races import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


# An in-memory SQLite database shares one cache between threads, whose table locks fail at once
# instead of waiting like the WAL file Relay runs on. The test settings use a file, so this only
# skips if someone points the tests at an in-memory database.
def skip_on_in_memory_sqlite():
    if in_memory_sqlite():
        pytest.skip("real threads need a database file or server, not SQLite's shared in-memory cache")


def test_two_desks_one_device_one_loan(lendable, make_borrower, branch, dina):
    skip_on_in_memory_sqlite()
    device = lendable()
    people = [make_borrower(), make_borrower()]
    results = run_at_once(
        *[
            lambda person=person: loan_issue(
                device=device,
                borrower=person,
                site=branch,
                actor=dina,
                idempotency_key=uuid.uuid4(),
                signature_method="paper",
            )
            for person in people
        ]
    )
    loans = [r for r in results if isinstance(r, Loan)]
    errors = [r for r in results if not isinstance(r, Loan)]
    assert len(loans) == 1, results
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results
    assert errors[0].code == "already_on_loan"
    assert Loan.objects.filter(device=device).count() == 1
    device.refresh_from_db()
    assert device.status == "on_loan"
    assert device.events.filter(to_status="on_loan").count() == 1


def test_double_click_makes_one_loan(lendable, borrower, branch, dina):
    skip_on_in_memory_sqlite()
    device, token = lendable(), uuid.uuid4()
    results = run_at_once(
        *[
            lambda: loan_issue(
                device=device,
                borrower=borrower,
                site=branch,
                actor=dina,
                idempotency_key=token,
                signature_method="paper",
            )
            for _ in range(2)
        ]
    )
    assert all(isinstance(r, Loan) for r in results), results
    assert results[0].pk == results[1].pk
    assert Loan.objects.count() == 1


def test_desk_that_checked_before_the_other_committed_still_loses(lendable, make_borrower, branch, dina, monkeypatch):
    """Desk B saw the device ready just before desk A's loan committed: the partial unique index stops B."""
    device = lendable()
    loan_issue(
        device=device,
        borrower=make_borrower(),
        site=branch,
        actor=dina,
        idempotency_key=uuid.uuid4(),
        signature_method="paper",
    )
    monkeypatch.setattr("lending.services.loans.lending_problem", lambda *args, **kwargs: None)
    with pytest.raises(DomainError) as error:
        loan_issue(
            device=device,
            borrower=make_borrower(),
            site=branch,
            actor=dina,
            idempotency_key=uuid.uuid4(),
            signature_method="paper",
        )
    assert error.value.code == "already_on_loan"
    assert "another desk" in error.value.message
    assert Loan.objects.filter(device=device).count() == 1
    device.refresh_from_db()
    assert device.events.filter(to_status="on_loan").count() == 1


def test_second_click_that_waited_for_the_first_returns_its_loan(lendable, borrower, branch, dina, monkeypatch):
    """The second request of a double click waits on the lock while the first commits: it gets the same loan."""
    from lending.services import loans

    device, token = lendable(), uuid.uuid4()
    args = dict(
        device=device, borrower=borrower, site=branch, actor=dina, idempotency_key=token, signature_method="paper"
    )
    real_issue, first = loans._issue, []

    def first_click_commits_meanwhile(**kwargs):
        monkeypatch.setattr(loans, "_issue", real_issue)
        first.append(loan_issue(**args))
        return real_issue(**kwargs)

    monkeypatch.setattr(loans, "_issue", first_click_commits_meanwhile)
    second = loan_issue(**args)
    assert second.pk == first[0].pk
    assert Loan.objects.count() == 1


def test_two_desks_taking_back_one_loan_at_once_make_one_return(issue, lendable, borrower, branch, other_branch, dina):
    """Two desks scan the same device back at the same moment: one return, one custody event back to
    `received`, the other desk told the loan has ended."""
    skip_on_in_memory_sqlite()
    from core.roles import DESK
    from lending.services.loans import loan_return
    from reuse.services.audit import audit_verify
    from tests.factories import make_user

    device = lendable()
    loan = issue(device, borrower)
    dan = make_user("dan", DESK, [other_branch])
    results = run_at_once(
        lambda: loan_return(loan=loan, actor=dina, site=branch),
        lambda: loan_return(loan=loan, actor=dan, site=other_branch),
    )
    returned = [r for r in results if isinstance(r, Loan)]
    refused = [r for r in results if not isinstance(r, Loan)]
    assert len(returned) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], DomainError) and refused[0].code in ("loan_closed", "concurrent_change")
    loan.refresh_from_db()
    device.refresh_from_db()
    assert not loan.is_open and device.status == "received"
    assert device.events.filter(from_status="on_loan", to_status="received").count() == 1
    assert audit_verify()[1] == []


def test_renewal_and_return_at_once_never_renew_a_closed_loan(issue, lendable, borrower, branch, dina):
    """A renewal at the desk while the device is handed back at the same moment: the loan ends returned,
    and the renewal either came first or was refused; never a renewed loan on a device back in the tray."""
    skip_on_in_memory_sqlite()
    from lending.services.loans import loan_renew, loan_return

    device = lendable()
    loan = issue(device, borrower)
    renewed, returned = run_at_once(
        lambda: loan_renew(loan=loan, actor=dina),
        lambda: loan_return(loan=loan, actor=dina, site=branch),
    )
    assert isinstance(returned, Loan), returned
    loan.refresh_from_db()
    device.refresh_from_db()
    assert not loan.is_open and loan.outcome == "returned" and device.status == "received"
    if isinstance(renewed, Loan):
        assert loan.renewals == 1
    else:
        assert isinstance(renewed, DomainError) and renewed.code in ("loan_closed", "concurrent_change"), renewed
        assert loan.renewals == 0


def test_simultaneous_renewals_never_pass_the_allowance(issue, lendable, borrower, dina):
    """Four desks renewing one loan at once, with one renewal left: exactly one renewal. (Four clicks of
    one renewal form making one renewal when more are left is the desk's idempotency work, not tested here.)"""
    skip_on_in_memory_sqlite()
    from lending.services.loans import loan_renew

    loan = issue(lendable(), borrower)
    Loan.objects.filter(pk=loan.pk).update(renewals=loan.renewals_allowed - 1)
    results = run_at_once(*[lambda: loan_renew(loan=loan, actor=dina) for _ in range(4)])
    renewed = [r for r in results if isinstance(r, Loan)]
    refused = [r for r in results if not isinstance(r, Loan)]
    assert len(renewed) == 1, results
    assert all(isinstance(r, DomainError) and r.code in ("no_renewals_left", "concurrent_change") for r in refused)
    loan.refresh_from_db()
    assert loan.renewals == loan.renewals_allowed


def test_two_workers_offering_one_device_reserve_it_once(ready_device, make_borrower, branch, alice, dina, settings):
    """Two task workers offer the same newly ready device to the waiting list at once: one reservation, for
    the first hold; the second person keeps waiting."""
    skip_on_in_memory_sqlite()
    from lending.models import Hold
    from lending.services.holds import hold_offer_next, hold_place
    from reuse.models import Reservation
    from reuse.services.lifecycle import device_move

    first, second = (
        hold_place(borrower=make_borrower(), site=branch, device_kind="laptop", actor=dina) for _ in range(2)
    )
    settings.TASKS_SYNC = False  # the move queues the offer for a worker: here, the two workers below
    device = device_move(device=ready_device(), site=branch, actor=alice)
    assert device.status == "ready"
    results = run_at_once(lambda: hold_offer_next(device_id=device.pk), lambda: hold_offer_next(device_id=device.pk))
    assert sorted(isinstance(r, Hold) for r in results) == [False, True], results
    device.refresh_from_db()
    assert device.status == "reserved"
    assert Reservation.objects.filter(device=device, ended_at__isnull=True).count() == 1
    assert Hold.objects.get(pk=first.pk).status == Hold.Status.OFFERED
    assert Hold.objects.get(pk=second.pk).status == Hold.Status.WAITING
    assert device.events.filter(to_status="reserved").count() == 1
