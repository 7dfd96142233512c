"""Issuing, renewing, returning and losing loans, through the services the desk calls."""

import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from lending.models import AgreementVersion, ConnectivityItem, Loan, LoanConnectivity, LoanPolicy
from lending.services.loans import loan_mark_lost, loan_renew, loan_return
from reuse.gates import sanitisation_gate_problems
from reuse.models import CustodyEvent, SiteClosure
from tests.factories import signature_bytes


def test_issue_lends_the_device_under_the_current_terms(lendable, borrower, issue, branch, dina):
    device = lendable(has_charger=True)
    loan = issue(device, borrower, signature_method="drawn", signature_png=signature_bytes())
    device.refresh_from_db()
    assert device.status == "on_loan"
    assert loan.agreement == AgreementVersion.current()
    assert loan.accessories == ["Charger"]
    assert bytes(loan.signature_png).startswith(b"\x89PNG")
    assert (loan.loan_days, loan.renewals_allowed) == (28, 2)
    assert branch.is_open_on(loan.due_date)
    assert loan.due_date >= timezone.localdate() + datetime.timedelta(days=28)
    event = device.events.order_by("-seq").first()
    assert (event.to_status, event.actor, event.site) == ("on_loan", dina, branch)


def test_custody_record_holds_no_personal_data(lendable, borrower, issue):
    device = lendable()
    loan = issue(device, borrower)
    loan_return(loan=loan, actor=loan.issued_by, site=loan.site)
    for event in CustodyEvent.objects.filter(device=device):
        for private in (borrower.name, borrower.card_number, borrower.email, "Rosa", "Clarke"):
            assert private not in event.reason
            assert private not in event.payload()


def test_due_date_skips_closed_days(lendable, borrower, issue, branch, monkeypatch):
    today = datetime.date(2026, 3, 2)  # a Monday
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    SiteClosure.objects.create(site=branch, date=datetime.date(2026, 3, 30), reason="Staff training")
    loan = issue(lendable(), borrower)
    # 28 days on is Monday 30 March: closed for training, so the next open day.
    assert loan.due_date == datetime.date(2026, 3, 31)


def test_the_most_specific_policy_applies(lendable, borrower, issue, branch, other_branch):
    LoanPolicy.objects.create(device_kind="laptop", site=None, loan_days=21, renewals_allowed=1)
    LoanPolicy.objects.create(device_kind="laptop", site=branch, loan_days=14, renewals_allowed=0)
    LoanPolicy.objects.create(device_kind="", site=branch, loan_days=7, renewals_allowed=3)
    assert LoanPolicy.for_device(kind="laptop", site=branch).loan_days == 14
    assert LoanPolicy.for_device(kind="laptop", site=other_branch).loan_days == 21
    assert LoanPolicy.for_device(kind="tablet", site=branch).loan_days == 7
    assert LoanPolicy.for_device(kind="tablet", site=other_branch).loan_days == 28  # the default
    loan = issue(lendable(), borrower)
    assert (loan.loan_days, loan.renewals_allowed) == (14, 0)


def test_policy_is_unique_per_type_and_branch_including_the_default(branch):
    LoanPolicy.objects.create(device_kind="laptop", site=branch)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanPolicy.objects.create(device_kind="laptop", site=branch)
    with pytest.raises(IntegrityError), transaction.atomic():
        LoanPolicy.objects.create(device_kind="", site=None)  # the migration made the default already


def test_unwiped_device_cannot_be_lent(make_device, borrower, issue, branch):
    device = make_device(site=branch)
    with pytest.raises(DomainError) as error:
        issue(device, borrower)
    assert error.value.code == "not_sanitised"
    assert not Loan.objects.exists()
    device.refresh_from_db()
    assert device.status == "received"


def test_device_elsewhere_cannot_be_lent_here(ready_device, borrower, issue):
    with pytest.raises(DomainError) as error:
        issue(ready_device(), borrower)
    assert error.value.code == "not_at_branch"


def test_second_loan_of_the_same_device_is_refused(lendable, borrower, make_borrower, issue):
    device = lendable()
    issue(device, borrower)
    with pytest.raises(DomainError) as error:
        issue(device, make_borrower())
    assert error.value.code == "already_on_loan"
    assert Loan.objects.count() == 1


def test_database_allows_one_open_loan_per_device(lendable, borrower, make_borrower, issue, branch, dina):
    loan = issue(lendable(), borrower)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            device=loan.device,
            borrower=make_borrower(),
            site=branch,
            issued_by=dina,
            idempotency_key=uuid.uuid4(),
            due_date=loan.due_date,
            loan_days=28,
            renewals_allowed=2,
            agreement=loan.agreement,
            signature_method="paper",
        )


def test_same_token_twice_makes_one_loan(lendable, borrower, issue):
    device, token = lendable(), uuid.uuid4()
    first = issue(device, borrower, idempotency_key=token)
    second = issue(device, borrower, idempotency_key=token)
    assert first.pk == second.pk
    assert Loan.objects.count() == 1
    assert device.events.filter(to_status="on_loan").count() == 1


def test_borrower_limit_per_device_type(lendable, borrower, issue):
    issue(lendable(), borrower)
    with pytest.raises(DomainError) as error:
        issue(lendable(), borrower)
    assert error.value.code == "loan_limit"
    LoanPolicy.objects.filter(device_kind="", site__isnull=True).update(max_devices=2)
    issue(lendable(), borrower)
    assert borrower.loans.open().count() == 2


def test_drawn_signature_must_be_a_real_png(lendable, borrower, issue):
    device = lendable()
    for png, code in ((None, "signature_missing"), (b"GIF89a not a png", "signature_invalid")):
        with pytest.raises(DomainError) as error:
            issue(device, borrower, signature_method="drawn", signature_png=png)
        assert error.value.code == code
    assert not Loan.objects.exists()


def test_no_terms_no_loan(lendable, borrower, issue):
    AgreementVersion.objects.all().delete()
    with pytest.raises(DomainError) as error:
        issue(lendable(), borrower)
    assert error.value.code == "no_agreement"


def test_agreement_versions_are_numbered_and_frozen(db):
    first = AgreementVersion.current()
    second = AgreementVersion.objects.create(body="New terms.\n\nSecond term.")
    assert second.number == first.number + 1
    assert second.terms == ["New terms.", "Second term."]
    second.body = "edited"
    with pytest.raises(TypeError):
        second.save()
    assert AgreementVersion.current().body == "New terms.\n\nSecond term."


def test_loan_keeps_the_version_it_was_signed_under(lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    AgreementVersion.objects.create(body="Stricter terms.")
    loan.refresh_from_db()
    assert loan.agreement.number == 1


def test_renew_moves_the_due_date_onto_an_open_day(
    lendable, borrower, issue, other_branch, make_device, alice, bob, monkeypatch
):
    loan = issue(lendable(), borrower)
    later = loan.due_date - datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    renewed = loan_renew(loan=loan, actor=loan.issued_by)
    assert renewed.renewals == 1
    assert renewed.due_date >= later + datetime.timedelta(days=28)
    assert loan.site.is_open_on(renewed.due_date)


def test_renewals_stop_at_the_limit(lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    loan_renew(loan=loan, actor=loan.issued_by)
    loan_renew(loan=loan, actor=loan.issued_by)
    with pytest.raises(DomainError) as error:
        loan_renew(loan=loan, actor=loan.issued_by)
    assert error.value.code == "no_renewals_left"
    loan.refresh_from_db()
    assert loan.renewals == 2


def test_no_renewal_while_someone_waits_for_that_type_at_the_branch(lendable, borrower, make_borrower, issue, dina):
    from lending.services.holds import hold_cancel, hold_place

    loan = issue(lendable(), borrower)
    hold = hold_place(borrower=make_borrower(), site=loan.site, device_kind=loan.device.kind, actor=dina)
    with pytest.raises(DomainError) as error:
        loan_renew(loan=loan, actor=dina)
    assert error.value.code == "others_waiting"
    loan.refresh_from_db()
    assert loan.renewals == 0

    hold_cancel(hold=hold, actor=dina)
    assert loan_renew(loan=loan, actor=dina).renewals == 1


def test_renewing_early_never_shortens_the_loan(lendable, borrower, issue):
    loan = issue(lendable(), borrower)
    due = loan.due_date
    assert loan_renew(loan=loan, actor=loan.issued_by).due_date >= due


def test_return_sends_the_device_back_to_be_wiped(lendable, borrower, issue, other_branch, dina):
    other_branch.staff.add(dina)
    device = lendable(has_charger=True)
    loan = issue(device, borrower)
    cycle = device.cycle
    loan = loan_return(
        loan=loan,
        actor=dina,
        site=other_branch,
        damaged=True,
        condition_notes="Cracked lid",
        missing_accessories=["Charger", "Not lent"],
    )
    device.refresh_from_db()
    assert device.status == "received"
    assert device.site == other_branch
    assert device.cycle == cycle + 1 and not device.wipe_stands
    assert sanitisation_gate_problems(device)  # the old wipe no longer counts
    assert (loan.outcome, loan.damaged, loan.condition_notes) == ("returned", True, "Cracked lid")
    assert loan.missing_accessories == ["Charger"]
    assert loan.closed_site == other_branch


def test_a_loan_ends_once(lendable, borrower, issue, dina, branch):
    loan = issue(lendable(), borrower)
    stale = Loan.objects.get(pk=loan.pk)
    loan_return(loan=loan, actor=dina, site=branch)
    with pytest.raises(DomainError) as error:
        loan_return(loan=stale, actor=dina, site=branch)
    assert error.value.code == "loan_closed"
    assert loan.device.events.filter(to_status="received").count() == 2  # registration, one return


def test_lost_device_is_recorded_lost(lendable, borrower, issue, dina, branch):
    loan = issue(lendable(), borrower)
    loan = loan_mark_lost(loan=loan, actor=dina, site=branch, notes="Stolen")
    loan.device.refresh_from_db()
    assert loan.device.status == "lost"
    assert loan.outcome == "lost"


def test_connectivity_goes_out_and_comes_back(lendable, borrower, make_borrower, issue, branch, dina):
    sim = ConnectivityItem.objects.create(
        kind="sim",
        identifier="8944000000000000001",
        allowance="20 GB",
        site=branch,
        expires_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    loan = issue(lendable(), borrower, connectivity=[sim])
    assert list(loan.connectivity.values_list("item", flat=True)) == [sim.pk]
    with pytest.raises(DomainError) as error:
        issue(lendable(), make_borrower(), connectivity=[sim])
    assert error.value.code == "connectivity_unavailable"
    loan_return(loan=loan, actor=dina, site=branch)
    link = LoanConnectivity.objects.get(loan=loan)
    assert link.returned_at is not None and not link.missing
    issue(lendable(), make_borrower(), connectivity=[sim])  # available again


def test_connectivity_not_returned_is_retired(lendable, borrower, issue, branch, dina):
    sim = ConnectivityItem.objects.create(kind="sim", identifier="8944000000000000002", allowance="20 GB", site=branch)
    loan = issue(lendable(), borrower, connectivity=[sim])
    loan_return(loan=loan, actor=dina, site=branch, missing_accessories=[str(sim)])
    sim.refresh_from_db()
    assert sim.retired
    assert LoanConnectivity.objects.get(loan=loan).missing


def test_expired_connectivity_cannot_be_lent(lendable, borrower, issue, branch):
    sim = ConnectivityItem.objects.create(
        kind="voucher",
        identifier="DV-1",
        allowance="15 GB",
        site=branch,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert sim.expired and sim.expiring_soon
    with pytest.raises(DomainError) as error:
        issue(lendable(), borrower, connectivity=[sim])
    assert error.value.code == "connectivity_unavailable"
