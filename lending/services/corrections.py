"""Putting right what the desk did by mistake, without rewriting the record.

A correction is a new `LoanChange` pointing at the change it corrects (one correction per change, by a
unique index), with the reason staff gave; the loan page lists both. Only desk staff of the loan's
branch, or an administrator, may correct.

A mistaken return (the wrong loan scanned; the borrower still has the device) can be undone while the
device has not been touched since it came back: the loan reopens as it was, its connectivity goes back
out with it, and the device goes back on loan in the intake cycle whose wipe it was lent under, by a
custody correction (`reuse.services.lifecycle.device_return_correct`). Once IT has started on the device
the return stands: gate 2 lets nothing go on loan again before it is wiped, and it is lent afresh.
"""

import functools
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F

from core.errors import DomainError
from lending.models import ConnectivityItem, Loan, LoanChange, LoanConnectivity
from reuse.models import Site
from reuse.services.lifecycle import device_return_correct, return_refusal


def _check_branch(loan: Loan, actor, *, or_site_id: int | None = None) -> None:
    if not Site.objects.desks_for(actor).filter(pk__in={loan.site_id, or_site_id or loan.site_id}).exists():
        raise DomainError("not_your_branch", f"Only desk staff at {loan.site} can correct this loan.")


def _idempotent(undo):
    """The same form sent twice (a double click, Back and send again) has one effect: a second request
    with a token already used returns the loan as the first one left it."""

    @functools.wraps(undo)
    def run(*, loan: Loan, actor, reason: str, token: uuid.UUID) -> Loan:
        try:
            return undo(loan=loan, actor=actor, reason=reason, token=token)
        except (IntegrityError, DomainError):
            if LoanChange.objects.filter(token=token).exists():
                return Loan.objects.get(pk=loan.pk)
            raise

    return run


@_idempotent
@transaction.atomic
def loan_renewal_undo(*, loan: Loan, actor, reason: str, token: uuid.UUID) -> Loan:
    """Undo the latest renewal of an open loan: the due date it had before comes back, one renewal is
    given back, and a `renewal_undone` change records who, when and why. The same form sent twice
    undoes once. Codes: not_your_branch, reason_missing, nothing_to_undo."""
    loan = Loan.objects.select_for_update().select_related("site").get(pk=loan.pk)
    if LoanChange.objects.filter(token=token).exists():
        return loan
    _check_branch(loan, actor)
    if not reason.strip():
        raise DomainError("reason_missing", "Say why the renewal is being undone.")
    renewal = loan.undoable_renewal
    if renewal is None or renewal.due_after is None:
        raise DomainError("nothing_to_undo", "This loan has no renewal left to undo.")
    updated = Loan.objects.filter(
        pk=loan.pk, closed_at__isnull=True, renewals=loan.renewals, due_date=renewal.due_after
    ).update(renewals=F("renewals") - 1, due_date=renewal.due_before)
    if updated != 1:
        raise DomainError("concurrent_change", "Someone else changed this loan at the same moment; try again.")
    LoanChange.objects.create(
        loan=loan,
        kind=LoanChange.Kind.RENEWAL_UNDONE,
        token=token,
        actor=actor,
        site=loan.site,
        due_before=renewal.due_after,
        due_after=renewal.due_before,
        reason=reason.strip()[:300],
        corrects=renewal,
    )
    loan.refresh_from_db()
    return loan


def return_undo_refusal(loan: Loan) -> str:
    """Why the return of `loan` can no longer be undone ("" if it can): the device has been lent again since
    (so the latest return on its record is another loan's), or it has been moved on since it came back."""
    later = Loan.objects.filter(device_id=loan.device_id, issued_at__gt=loan.issued_at).order_by("issued_at").first()
    if later is not None:
        return f"{loan.device.asset_tag} has been lent again since (loan {later.pk}), so this return cannot be undone."
    return return_refusal(loan.device)


@_idempotent
@transaction.atomic
def loan_return_undo(*, loan: Loan, actor, reason: str, token: uuid.UUID) -> Loan:
    """Undo a return taken by mistake: the loan is open again with its due date, renewals and
    connectivity as they were, the device is back on loan at the lending branch, and a `return_undone`
    change (and a custody correction) records who, when and why. The return stays on both records.
    Desk staff of the lending branch or of the branch that took it back, or an administrator.

    Codes: not_your_branch, reason_missing, nothing_to_undo, borrower_erased, connectivity_lent_again,
    not_correctable (the device has been lent again or moved on since it came back)."""
    loan = Loan.objects.select_for_update().select_related("site", "borrower", "device").get(pk=loan.pk)
    if LoanChange.objects.filter(token=token).exists():
        return loan
    _check_branch(loan, actor, or_site_id=loan.closed_site_id)
    if not reason.strip():
        raise DomainError("reason_missing", "Say why the return is being undone.")
    returned = loan.undoable_return
    if returned is None:
        raise DomainError("nothing_to_undo", "This loan has no return to undo.")
    refusal = return_undo_refusal(loan)
    if refusal:
        raise DomainError("not_correctable", refusal)
    if loan.borrower.is_anonymised:
        raise DomainError("borrower_erased", "The borrower's details have been erased, so this loan cannot reopen.")
    links = list(loan.connectivity.select_related("item"))
    taken = (
        LoanConnectivity.objects.filter(
            item_id__in=[link.item_id for link in links], returned_at__isnull=True, missing=False
        )
        .exclude(loan=loan)
        .select_related("item")
        .first()
    )
    if taken is not None:
        raise DomainError(
            "connectivity_lent_again",
            f"{taken.item} has been lent to someone else since, so the return cannot be undone.",
        )
    updated = Loan.objects.filter(pk=loan.pk, outcome=Loan.Outcome.RETURNED, closed_at__isnull=False).update(
        closed_at=None,
        closed_by=None,
        closed_site=None,
        outcome="",
        damaged=False,
        condition_notes="",
        missing_accessories=[],
    )
    if updated != 1:
        raise DomainError("concurrent_change", "Someone else changed this loan at the same moment; try again.")
    for link in links:
        if link.missing:  # reported not returned, so retired: it is out with the borrower again
            ConnectivityItem.objects.filter(pk=link.item_id).update(retired=False)
    LoanConnectivity.objects.filter(loan=loan).update(returned_at=None, missing=False)
    LoanChange.objects.create(
        loan=loan,
        kind=LoanChange.Kind.RETURN_UNDONE,
        token=token,
        actor=actor,
        site=loan.site,
        due_after=loan.due_date,
        reason=reason.strip()[:300],
        corrects=returned,
    )
    device_return_correct(
        device=loan.device, actor=actor, site=loan.site, reason=f"return of loan {loan.pk} undone: {reason.strip()}"
    )
    loan.refresh_from_db()
    return loan
