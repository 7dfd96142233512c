"""Putting right what the desk did by mistake, without rewriting the record.

A correction is a new `LoanChange` pointing at the change it corrects (one correction per change, by a
unique index), with the reason staff gave; the loan page lists both. Only desk staff of the loan's
branch, or an administrator, may correct.

A mistaken return cannot be undone here: the return moved the device back to `received`, and gate 2
(reuse.gates, and a database constraint) lets nothing go on loan again before IT has wiped it. The
device goes to IT and is lent again afresh.
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F

from core.errors import DomainError
from lending.models import Loan, LoanChange
from reuse.models import Site


def _check_branch(loan: Loan, actor) -> None:
    if not Site.objects.desks_for(actor).filter(pk=loan.site_id).exists():
        raise DomainError("not_your_branch", f"Only desk staff at {loan.site} can correct this loan.")


def loan_renewal_undo(*, loan: Loan, actor, reason: str, token: uuid.UUID) -> Loan:
    """Undo the latest renewal of an open loan: the due date it had before comes back, one renewal is
    given back, and a `renewal_undone` change records who, when and why. The same form sent twice
    undoes once. Codes: not_your_branch, reason_missing, nothing_to_undo."""
    try:
        return _undo(loan=loan, actor=actor, reason=reason, token=token)
    except (IntegrityError, DomainError):
        if LoanChange.objects.filter(token=token).exists():
            return Loan.objects.get(pk=loan.pk)
        raise


@transaction.atomic
def _undo(*, loan: Loan, actor, reason: str, token: uuid.UUID) -> Loan:
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
