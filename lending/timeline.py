"""Lending's part of a device's timeline (core.timeline): loans issued, renewed, returned and written off,
and returns undone (the mistaken return stays on the timeline beside its correction).

Need to know: a borrower's name is shown only to desk staff of the branch that lent the device, and each
name shown is written to the personal-data access log; everyone else reads "Lent (loan 42)". One query
for the loans, one for the returns undone, one for the viewer's branches, one insert into the access log.
"""

from collections.abc import Iterable, Sequence

from django.urls import reverse

from core.models import AccessChannel
from core.privacy import log_access_many
from core.roles import DESK, has_role, staff_name
from core.timeline import Entry, register
from lending.models import Loan, LoanChange


def _desk_branches(viewer) -> set[int]:
    if not has_role(viewer, DESK):
        return set()
    return set(viewer.sites.values_list("pk", flat=True))


def loan_entries(device_ids: Sequence[int], viewer) -> Iterable[Entry]:
    loans = list(
        Loan.objects.filter(device_id__in=device_ids).select_related(
            "borrower", "site", "closed_site", "issued_by", "closed_by"
        )
    )
    by_pk = {loan.pk: loan for loan in loans}
    branches = _desk_branches(viewer) if loans else set()
    named = [loan for loan in loans if loan.site_id in branches and not loan.borrower.is_anonymised]
    if named:
        log_access_many(
            actor=viewer, subjects=[loan.borrower for loan in named], channel=AccessChannel.PAGE, what="device timeline"
        )
    shown = {loan.pk for loan in named}
    entries: list[Entry] = []
    for loan in loans:
        link = reverse("lending:loan-detail", args=[loan.pk]) if loan.site_id in branches else ""
        to = f" to {loan.borrower.name}" if loan.pk in shown else ""
        detail = f"At {loan.site}, due back {loan.due_date:%-d %b %Y}"
        if loan.renewals:
            detail += f"; renewed {loan.renewals} time{'s' if loan.renewals != 1 else ''}"
        entries.append(
            Entry(loan.issued_at, "loan", f"Lent{to} (loan {loan.pk})", detail, staff_name(loan.issued_by), link)
        )
        if loan.closed_at:
            closer = staff_name(loan.closed_by) if loan.closed_by else ""
            if loan.is_lost:
                entries.append(Entry(loan.closed_at, "loan", f"Written off as lost (loan {loan.pk})", "", closer, link))
            else:
                where = f"At {loan.closed_site}" if loan.closed_site else ""
                if loan.damaged:
                    where += " (damaged)"
                entries.append(Entry(loan.closed_at, "loan", f"Returned (loan {loan.pk})", where, closer, link))
    undone = LoanChange.objects.filter(loan__in=loans, kind=LoanChange.Kind.RETURN_UNDONE).select_related(
        "actor", "corrects__actor", "corrects__site"
    )
    for change in undone if loans else ():
        link = (
            reverse("lending:loan-detail", args=[change.loan_id]) if by_pk[change.loan_id].site_id in branches else ""
        )
        returned = change.corrects
        where = f"At {returned.site}; the return was undone later" if returned.site else "The return was undone later"
        entries.append(
            Entry(returned.at, "loan", f"Returned (loan {change.loan_id})", where, staff_name(returned.actor), link)
        )
        entries.append(
            Entry(
                change.at,
                "loan",
                f"Return undone: on loan again (loan {change.loan_id})",
                f"Reason: {change.reason}",
                staff_name(change.actor),
                link,
            )
        )
    return entries


def register_providers() -> None:
    register("lending.loans", loan_entries)
