"""A return taken by mistake (the wrong loan scanned; the borrower still has the device) is undone with a
reason: the loan reopens, the device goes back on loan in the cycle whose wipe it was lent under, and the
return stays on the loan's and the device's records beside its correction. Once IT has started on the
device, or anything has been recorded since, the return stands."""

import uuid

import pytest

from core.errors import DomainError
from core.timeline import timeline
from lending.models import ConnectivityItem, Loan, LoanChange, LoanConnectivity
from lending.services.corrections import loan_return_undo
from lending.services.loans import loan_return
from reuse.models import CustodyEvent, DeviceStatus
from reuse.services.audit import audit_verify
from reuse.services.lifecycle import RETURN_STEP, device_move, device_transition, step_allowed
from tests.factories import form_token, make_user, record_wipe, wipe_all


@pytest.fixture
def returned(lendable, borrower, issue, dina):
    """A loan from branch A taken back by mistake, and its device as the return left it."""

    def build(*, at=None, actor=None, **kwargs):
        loan = issue(lendable(), borrower, **kwargs)
        loan_return(loan=loan, actor=actor or dina, site=at or loan.site, token=uuid.uuid4())
        loan.refresh_from_db()
        loan.device.refresh_from_db()
        return loan

    return build


def undo(loan, actor, reason="Scanned the wrong device; the borrower still has it", token=None):
    return loan_return_undo(loan=loan, actor=actor, reason=reason, token=token or uuid.uuid4())


def test_undo_reopens_the_loan_and_puts_the_device_back_on_loan_in_its_wiped_cycle(returned, dina, alice):
    loan = returned()
    device = loan.device
    lent_cycle = device.cycle - 1
    assert (device.status, device.sanitised_cycle) == (DeviceStatus.RECEIVED, lent_cycle)

    reopened = undo(loan, dina)

    assert reopened.is_open and (reopened.outcome, reopened.closed_by, reopened.closed_site) == ("", None, None)
    device.refresh_from_db()
    assert (device.status, device.cycle, device.sanitised_cycle) == (DeviceStatus.ON_LOAN, lent_cycle, lent_cycle)
    assert device.is_lendable is False  # on loan, not ready: nobody else can borrow it
    returned_change, correction = LoanChange.objects.filter(loan=loan).order_by("pk")
    assert (returned_change.kind, correction.kind, correction.corrects) == (
        "returned",
        "return_undone",
        returned_change,
    )
    assert correction.reason.startswith("Scanned the wrong device") and correction.due_after == loan.due_date
    fix, back = CustodyEvent.objects.filter(device=device).order_by("-seq")[:2]
    assert ((back.from_status, back.to_status), (fix.from_status, fix.to_status)) == (RETURN_STEP, RETURN_STEP[::-1])
    assert fix.reason.startswith(f"Correction of event {back.seq}: return of loan {loan.pk} undone")
    checked, problems = audit_verify()
    assert problems == [] and checked == CustodyEvent.objects.count()


def test_the_reopened_loan_can_be_returned_again_and_the_device_wiped_as_usual(returned, dina):
    loan = returned()
    undo(loan, dina)
    loan_return(loan=Loan.objects.get(pk=loan.pk), actor=dina, site=loan.site, token=uuid.uuid4())
    loan.refresh_from_db()
    loan.device.refresh_from_db()
    assert loan.outcome == "returned" and loan.device.status == DeviceStatus.RECEIVED
    assert loan.device.cycle == loan.device.sanitised_cycle + 1  # a new cycle: gate 2 wants a fresh wipe
    assert audit_verify()[1] == []


def test_undo_needs_a_reason_and_a_desk_that_had_the_loan(returned, dina, other_branch):
    elsewhere = make_user("nell", "Library desk", [other_branch])
    loan = returned()
    with pytest.raises(DomainError) as error:
        undo(loan, dina, reason="   ")
    assert error.value.code == "reason_missing"
    with pytest.raises(DomainError) as error:
        undo(loan, elsewhere)
    assert error.value.code == "not_your_branch"
    loan.refresh_from_db()
    assert loan.outcome == "returned" and not LoanChange.objects.filter(kind="return_undone").exists()


def test_the_branch_that_took_it_back_may_undo_and_the_device_goes_back_to_the_lending_branch(
    returned, other_branch, branch
):
    nell = make_user("nell", "Library desk", [other_branch])
    loan = returned(at=other_branch, actor=nell)
    assert loan.device.site == other_branch
    undo(loan, nell)
    loan.device.refresh_from_db()
    assert loan.device.status == DeviceStatus.ON_LOAN and loan.device.site == branch


def test_a_return_is_undone_once_and_the_same_form_twice_has_one_effect(returned, dina):
    loan = returned()
    token = uuid.uuid4()
    undo(loan, dina, token=token)
    again = undo(Loan.objects.get(pk=loan.pk), dina, token=token)
    assert again.is_open
    assert LoanChange.objects.filter(kind="return_undone").count() == 1
    assert CustodyEvent.objects.filter(device=loan.device, to_status="on_loan").count() == 2  # issue, correction
    with pytest.raises(DomainError) as error:
        undo(Loan.objects.get(pk=loan.pk), dina)
    assert error.value.code == "nothing_to_undo"


def test_once_it_has_started_its_wipe_the_return_stands(returned, dina, alice, bob):
    loan = returned()
    device = loan.device
    record_wipe(device, device.media.get(), operator=alice, verifier=None)
    with pytest.raises(DomainError) as error:
        undo(loan, dina)
    assert error.value.code == "not_correctable" and "started wiping" in error.value.message
    loan.refresh_from_db()
    device.refresh_from_db()
    assert loan.outcome == "returned" and device.status == DeviceStatus.RECEIVED
    assert not LoanChange.objects.filter(kind="return_undone").exists()


def test_once_anything_is_recorded_after_the_return_it_stands(returned, dina, alice, depot):
    loan = returned()
    device_move(device=loan.device, site=depot, actor=alice)
    with pytest.raises(DomainError) as error:
        undo(loan, dina)
    assert error.value.code == "not_correctable" and "moved on since it came back" in error.value.message
    assert Loan.objects.get(pk=loan.pk).outcome == "returned"


def test_an_earlier_loans_return_cannot_be_undone_once_the_device_was_lent_again(
    lendable, borrower, make_borrower, issue, dina, alice, bob, branch
):
    """Loan A came back and was wiped; loan B came back too. Undoing A's return now would put the device on
    loan to A's borrower, in B's wipe cycle, with B's return the one on the record: refused."""
    first = issue(lendable(), borrower)
    device = first.device
    loan_return(loan=first, actor=dina, site=branch, token=uuid.uuid4())
    device.refresh_from_db()
    wipe_all(device, operator=alice, verifier=bob)
    for status in ("sanitised", "ready"):
        device_transition(device=device, to_status=status, actor=alice)
    device_move(device=device, site=branch, actor=alice)
    second = issue(device, make_borrower())
    loan_return(loan=second, actor=dina, site=branch, token=uuid.uuid4())
    first = Loan.objects.get(pk=first.pk)
    assert first.undoable_return is not None  # its own record alone would allow it
    with pytest.raises(DomainError) as error:
        undo(first, dina)
    assert error.value.code == "not_correctable" and f"lent again since (loan {second.pk})" in error.value.message
    device.refresh_from_db()
    assert device.status == DeviceStatus.RECEIVED and Loan.objects.get(pk=first.pk).outcome == "returned"
    assert not LoanChange.objects.filter(kind="return_undone").exists()


def test_connectivity_goes_back_out_with_the_loan(returned, dina, branch):
    sim = ConnectivityItem.objects.create(kind="sim", identifier="SIM-1", allowance="30 GB", site=branch)
    loan = returned(connectivity=[sim])
    link = LoanConnectivity.objects.get(loan=loan)
    assert link.returned_at is not None
    undo(loan, dina)
    link.refresh_from_db()
    assert (link.returned_at, link.missing) == (None, False)
    assert not ConnectivityItem.objects.lendable_at(branch).filter(pk=sim.pk).exists()


def test_a_sim_reported_missing_at_the_mistaken_return_is_unretired(lendable, borrower, issue, dina, branch):
    sim = ConnectivityItem.objects.create(kind="sim", identifier="SIM-2", allowance="30 GB", site=branch)
    loan = issue(lendable(), borrower, connectivity=[sim])
    loan_return(loan=loan, actor=dina, site=branch, token=uuid.uuid4(), missing_accessories=[str(sim)])
    sim.refresh_from_db()
    assert sim.retired
    undo(Loan.objects.get(pk=loan.pk), dina)
    sim.refresh_from_db()
    assert not sim.retired and LoanConnectivity.objects.get(loan=loan).missing is False


def test_connectivity_lent_to_someone_else_since_keeps_the_return(
    lendable, borrower, make_borrower, issue, dina, branch
):
    sim = ConnectivityItem.objects.create(kind="sim", identifier="SIM-3", allowance="30 GB", site=branch)
    loan = issue(lendable(), borrower, connectivity=[sim])
    loan_return(loan=loan, actor=dina, site=branch, token=uuid.uuid4())
    issue(lendable(), make_borrower(), connectivity=[sim])
    with pytest.raises(DomainError) as error:
        undo(Loan.objects.get(pk=loan.pk), dina)
    assert error.value.code == "connectivity_lent_again"
    assert Loan.objects.get(pk=loan.pk).outcome == "returned"


def test_the_timeline_keeps_the_mistaken_return_beside_its_correction(returned, dina):
    loan = returned()
    undo(loan, dina)
    titles = [entry.title for entry in timeline([loan.device_id], dina)]
    assert f"Return undone: on loan again (loan {loan.pk})" in titles
    assert f"Returned (loan {loan.pk})" in titles
    assert "On loan → Received" in titles and "Corrected: back from received to on loan" in titles
    assert titles.index(f"Return undone: on loan again (loan {loan.pk})") < titles.index(f"Returned (loan {loan.pk})")


def test_the_audit_refuses_a_correction_into_on_loan_of_anything_but_a_return():
    assert step_allowed("received", "on_loan", correcting=("on_loan", "received"))
    assert not step_allowed("received", "on_loan")
    assert not step_allowed("received", "on_loan", correcting=("ready", "received"))
    assert not step_allowed("lost", "on_loan", correcting=("on_loan", "lost"))


# Pages


def test_the_loan_page_offers_the_undo_and_the_form_names_a_missing_reason(desk, returned):
    loan = returned()
    detail = desk.get(f"/loans/{loan.pk}/").content.decode()
    assert f'href="/loans/{loan.pk}/return/undo/"' in detail
    page = desk.get(f"/loans/{loan.pk}/return/undo/").content.decode()
    assert "Undo the return" in page and f"{loan.due_date:%A %-d %B %Y}" in page
    body = desk.post(f"/loans/{loan.pk}/return/undo/", {"token": form_token(page), "reason": ""}).content.decode()
    assert "govuk-error-summary" in body and "Enter why the return is being undone" in body
    assert Loan.objects.get(pk=loan.pk).outcome == "returned"

    response = desk.post(f"/loans/{loan.pk}/return/undo/", {"token": form_token(page), "reason": "Wrong loan"})
    assert response.status_code == 302 and response["Location"] == f"/loans/{loan.pk}/"
    detail = desk.get(response["Location"]).content.decode()
    assert "Return undone: " in detail and "is on loan again" in detail
    assert "Return undone</strong>" in detail and "Reason: Wrong loan" in detail and "Undone</strong>" in detail
    assert f'href="/loans/{loan.pk}/return/undo/"' not in detail and "Take it back" in detail
    # Back to the form and send it again: the first undo's result, no second change.
    desk.post(f"/loans/{loan.pk}/return/undo/", {"token": form_token(page), "reason": "Wrong loan"})
    assert LoanChange.objects.filter(kind="return_undone").count() == 1


def test_the_loan_page_does_not_offer_the_undo_once_it_cannot_be_done(desk, returned, alice):
    loan = returned()
    record_wipe(loan.device, loan.device.media.get(), operator=alice, verifier=None)
    detail = desk.get(f"/loans/{loan.pk}/").content.decode()
    assert "/return/undo/" not in detail
    response = desk.get(f"/loans/{loan.pk}/return/undo/", follow=True)
    assert "started wiping" in response.content.decode()
