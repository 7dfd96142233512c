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
