"""Renewals as a library does them: from the due date, never counted when nothing moves, once per form,
and undone with a reason that stays on record beside the renewal."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.errors import DomainError
from lending.models import Loan, LoanChange
from lending.services.corrections import loan_renewal_undo
from lending.services.loans import loan_renew
from tests.factories import form_token, make_user


def test_renewing_on_the_issue_day_runs_from_the_due_date(lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    due = loan.due_date
    renewed = loan_renew(loan=loan, actor=loan.issued_by, token=uuid.uuid4())
    assert renewed.renewals == 1
    assert renewed.due_date >= due + datetime.timedelta(days=loan.loan_days)
    assert loan.site.is_open_on(renewed.due_date)
    change = LoanChange.objects.get(loan=loan)
    assert (change.kind, change.due_before, change.due_after) == ("renewed", due, renewed.due_date)


def test_an_overdue_loan_renews_from_today(lendable, borrower, issue, monkeypatch):
    loan = issue(lendable(), borrower)
    today = loan.due_date + datetime.timedelta(days=10)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    renewed = loan_renew(loan=loan, actor=loan.issued_by)
    assert renewed.due_date >= today + datetime.timedelta(days=loan.loan_days)


def test_too_soon_to_renew_under_the_not_before_setting(lendable, borrower, issue, settings):
    settings.RENEWAL_NOT_BEFORE_DAYS = 7
    loan = issue(lendable(), borrower)
    with pytest.raises(DomainError) as error:
        loan_renew(loan=loan, actor=loan.issued_by)
    assert error.value.code == "too_soon"
    opens = loan.due_date - datetime.timedelta(days=7)
    assert f"{opens:%-d %B %Y}" in error.value.message
    loan.refresh_from_db()
    assert loan.renewals == 0 and not LoanChange.objects.exists()


def test_a_renewal_that_would_not_move_the_due_date_is_refused_and_not_counted(lendable, borrower, issue, monkeypatch):
    loan = issue(lendable(), borrower)
    due = loan.due_date
    monkeypatch.setattr("lending.services.loans.due_date_for", lambda **kwargs: due)
    with pytest.raises(DomainError) as error:
        loan_renew(loan=loan, actor=loan.issued_by)
    assert error.value.code == "too_soon"
    loan.refresh_from_db()
    assert (loan.renewals, loan.due_date) == (0, due)


def test_the_same_form_renews_once(lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    token = uuid.uuid4()
    first = loan_renew(loan=loan, actor=loan.issued_by, token=token)
    again = loan_renew(loan=loan, actor=loan.issued_by, token=token)
    assert (again.renewals, again.due_date) == (1, first.due_date)
    assert LoanChange.objects.filter(kind="renewed").count() == 1


def test_loan_changes_are_append_only(lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    loan_renew(loan=loan, actor=loan.issued_by)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanChange.objects.update(reason="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanChange.objects.all().delete()


def test_undo_restores_the_previous_due_date_and_keeps_both_on_record(lendable, borrower, issue, dina):
    loan = issue(lendable(), borrower)
    due = loan.due_date
    renewed = loan_renew(loan=loan, actor=dina)
    undone = loan_renewal_undo(loan=loan, actor=dina, reason="Renewed the wrong loan", token=uuid.uuid4())
    assert (undone.due_date, undone.renewals) == (due, 0)
    renewal, correction = LoanChange.objects.order_by("pk")
    assert (renewal.kind, renewal.due_after) == ("renewed", renewed.due_date)
    assert (correction.kind, correction.corrects, correction.due_after, correction.reason) == (
        "renewal_undone",
        renewal,
        due,
        "Renewed the wrong loan",
    )
    with pytest.raises(DomainError) as error:
        loan_renewal_undo(loan=loan, actor=dina, reason="Again", token=uuid.uuid4())
    assert error.value.code == "nothing_to_undo"


def test_undo_needs_a_reason_and_the_loans_branch(lendable, borrower, issue, dina, other_branch):
    loan = issue(lendable(), borrower)
    loan_renew(loan=loan, actor=dina)
    with pytest.raises(DomainError) as error:
        loan_renewal_undo(loan=loan, actor=dina, reason="  ", token=uuid.uuid4())
    assert error.value.code == "reason_missing"
    elsewhere = make_user("nell", "Library desk", [other_branch])
    with pytest.raises(DomainError) as error:
        loan_renewal_undo(loan=loan, actor=elsewhere, reason="Mistake", token=uuid.uuid4())
    assert error.value.code == "not_your_branch"
    loan.refresh_from_db()
    assert loan.renewals == 1


# Pages


def test_renew_on_issue_day_names_the_new_date_and_counts_once(desk, lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    page = desk.get(f"/loans/{loan.pk}/").content.decode()
    token = form_token(page, f"/loans/{loan.pk}/renew/")
    response = desk.post(f"/loans/{loan.pk}/renew/", {"token": token}, follow=True)
    loan.refresh_from_db()
    body = response.content.decode()
    assert f"Renewed: now due back on {loan.due_date:%A %-d %B %Y} (1 of 2 renewals used)" in body
    # The double click, or Back and resubmit: the first renewal's result, not a second renewal.
    again = desk.post(f"/loans/{loan.pk}/renew/", {"token": token}, follow=True).content.decode()
    assert f"Already renewed: due back on {loan.due_date:%A %-d %B %Y}" in again
    loan.refresh_from_db()
    assert loan.renewals == 1


def test_renew_without_the_forms_token_renews_nothing(desk, lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    response = desk.post(f"/loans/{loan.pk}/renew/", {}, follow=True)
    assert "nothing was renewed" in response.content.decode()
    loan.refresh_from_db()
    assert loan.renewals == 0


def test_undo_page_restores_the_date_and_the_loan_page_shows_both(desk, lendable, borrower, issue, dina):
    loan = issue(lendable(), borrower)
    due = loan.due_date
    loan_renew(loan=loan, actor=dina)
    page = desk.get(f"/loans/{loan.pk}/renew/undo/").content.decode()
    body = desk.post(f"/loans/{loan.pk}/renew/undo/", {"token": form_token(page, ""), "reason": ""}).content.decode()
    assert "Enter why the renewal is being undone" in body and "govuk-error-summary" in body
    response = desk.post(f"/loans/{loan.pk}/renew/undo/", {"token": str(uuid.uuid4()), "reason": "Wrong loan"})
    assert response.status_code == 302 and response["Location"] == f"/loans/{loan.pk}/"
    loan.refresh_from_db()
    assert loan.due_date == due
    detail = desk.get(f"/loans/{loan.pk}/").content.decode()
    assert "Renewed</strong>" in detail and "Renewal undone</strong>" in detail and "Reason: Wrong loan" in detail
    assert "Undone</strong>" in detail


# Races: four requests of one form at the same moment, each on its own connection.


def _skip_in_memory():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("real threads need a database file or server")


@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_renews_of_one_form_make_one_renewal(lendable, borrower, issue, dina):
    from tests.races import run_at_once

    _skip_in_memory()
    loan = issue(lendable(), borrower)
    token = uuid.uuid4()
    results = run_at_once(*[lambda: loan_renew(loan=loan, actor=dina, token=token) for _ in range(4)])
    assert all(isinstance(r, Loan) for r in results), results
    loan.refresh_from_db()
    assert loan.renewals == 1
    assert LoanChange.objects.filter(loan=loan, kind="renewed").count() == 1
    assert {r.due_date for r in results} == {loan.due_date}
