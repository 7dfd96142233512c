"""Returns at the desk: one effect per form however often it is sent, and no dead end after it."""

import uuid

import pytest
from django.db import connection

from core.errors import DomainError
from lending.models import Loan, LoanChange
from lending.services.loans import loan_return
from tests.factories import form_token


def test_the_same_return_form_twice_returns_once_with_one_event(lendable, borrower, issue, dina, branch):
    loan = issue(lendable(), borrower)
    token = uuid.uuid4()
    loan_return(loan=loan, actor=dina, site=branch, token=token)
    again = loan_return(loan=loan, actor=dina, site=branch, token=token)
    assert again.outcome == "returned"
    assert loan.device.events.filter(to_status="received", reason__startswith="Returned").count() == 1
    assert LoanChange.objects.filter(loan=loan, kind="returned").count() == 1
    with pytest.raises(DomainError) as error:
        loan_return(loan=loan, actor=dina, site=branch, token=uuid.uuid4())
    assert error.value.code == "loan_closed"


def test_double_submit_and_back_after_a_return_land_on_the_loan(desk, lendable, borrower, issue, branch):
    loan = issue(lendable(), borrower)
    url = f"/loans/{loan.pk}/return/"
    form = {"branch": branch.pk, "token": form_token(desk.get(url).content.decode())}
    first = desk.post(url, form)
    assert first.status_code == 302 and first["Location"] == f"/loans/{loan.pk}/"
    second = desk.post(url, form, follow=True)
    assert second.status_code == 200 and second.redirect_chain == [(f"/loans/{loan.pk}/", 302)]
    assert "already taken back" not in second.content.decode()
    back = desk.get(url, follow=True)
    assert back.status_code == 200 and back.redirect_chain == [(f"/loans/{loan.pk}/", 302)]
    assert "was already taken back" in back.content.decode()
    assert LoanChange.objects.filter(loan=loan, kind="returned").count() == 1
    page = desk.get(f"/loans/{loan.pk}/").content.decode()
    assert f"/loans/{loan.pk}/slip-receipt.pdf" in page and "Return slip" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_form", [True, False])
def test_parallel_returns_make_one_return_and_one_event(lendable, borrower, issue, dina, branch, same_form):
    from tests.races import run_at_once

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("real threads need a database file or server")
    loan = issue(lendable(), borrower)
    shared = uuid.uuid4()
    results = run_at_once(
        *[
            lambda: loan_return(loan=loan, actor=dina, site=branch, token=shared if same_form else uuid.uuid4())
            for _ in range(3)
        ]
    )
    returned = [r for r in results if isinstance(r, Loan)]
    refused = [r for r in results if isinstance(r, DomainError)]
    if same_form:
        assert len(returned) == 3, results
    else:
        assert len(returned) == 1 and len(refused) == 2, results
        assert {r.code for r in refused} == {"loan_closed"}
    assert loan.device.events.filter(to_status="received", reason__startswith="Returned").count() == 1
    assert LoanChange.objects.filter(loan=loan, kind="returned").count() == 1


def test_back_after_reporting_a_loss_lands_on_the_loan(desk, lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    desk.post(f"/loans/{loan.pk}/lost/", {"confirm": "on"})
    again = desk.post(f"/loans/{loan.pk}/lost/", {"confirm": "on"}, follow=True)
    assert again.redirect_chain == [(f"/loans/{loan.pk}/", 302)] and "This loan ended on" in again.content.decode()
    assert desk.get(f"/loans/{loan.pk}/lost/").status_code == 302
    assert loan.device.events.filter(to_status="lost").count() == 1
