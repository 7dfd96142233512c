"""Issue, renew, return and write off loans; register borrowers.

Each action checks its rules against fresh rows inside one transaction, changes the device only through
`device_transition`, and raises `DomainError` with a stable code the desk turns into a plain message.
"""

import datetime
import uuid
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import DomainError
from core.signature import signature_checked
from core.tasks import on_commit_task
from lending.models import (
    AgreementVersion,
    Borrower,
    ConnectivityItem,
    Hold,
    Loan,
    LoanChange,
    LoanConnectivity,
    LoanPolicy,
)
from lending.services.scanning import lending_problem
from reuse.models import Device, DeviceStatus, Reservation, Site
from reuse.services.lifecycle import device_transition
from reuse.services.reservations import reservation_hand_out


def due_date_for(*, site: Site, loan_days: int, start: datetime.date | None = None) -> datetime.date:
    return site.next_open_day((start or timezone.localdate()) + datetime.timedelta(days=loan_days))


def device_accessories(device: Device) -> list[str]:
    return [name for name, present in (("Charger", device.has_charger), ("Case", device.has_case)) if present]


@transaction.atomic
def borrower_create(
    *,
    actor,
    card_number: str,
    name: str,
    postcode: str,
    email: str = "",
    phone: str = "",
    support_needs: str = "",
    contact_by: str = Borrower.ContactBy.EMAIL,
) -> Borrower:
    borrower = Borrower(
        card_number=card_number,
        name=name.strip(),
        postcode=postcode,
        email=email.strip(),
        phone=phone.strip(),
        contact_by=contact_by,
        support_needs=support_needs.strip(),
        created_by=actor,
    )
    borrower.full_clean()
    borrower.save()
    return borrower


def loan_issue(
    *,
    device: Device,
    borrower: Borrower,
    site: Site,
    actor,
    idempotency_key: uuid.UUID,
    signature_method: str,
    signature_png: bytes | None = None,
    connectivity: Sequence[ConnectivityItem] = (),
    extra_accessories: Sequence[str] = (),
) -> Loan:
    """Lend `device` to `borrower` at `site` under the current agreement.

    Repeating a call with the same `idempotency_key` (a rescan, a double click) returns the loan the
    first call made. When two desks lend one device at once, exactly one succeeds; the other gets
    `already_on_loan`. Other codes: not_sanitised, not_ready, not_at_branch, reserved, loan_limit,
    no_agreement, signature_missing, connectivity_unavailable.
    """
    existing = Loan.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    try:
        return _issue(
            device=device,
            borrower=borrower,
            site=site,
            actor=actor,
            idempotency_key=idempotency_key,
            signature_method=signature_method,
            signature_png=signature_png,
            connectivity=connectivity,
            extra_accessories=extra_accessories,
        )
    except (IntegrityError, DomainError) as error:
        # The same form sent twice at once: the other request made the loan while this one waited.
        existing = Loan.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
        if isinstance(error, IntegrityError) or error.code in ("concurrent_change", "transition_not_allowed"):
            raise _lent_elsewhere(device) from None
        raise


def _lent_elsewhere(device: Device) -> DomainError:
    return DomainError(
        "already_on_loan",
        f"{device.asset_tag} has just been lent at another desk. Nothing was recorded here; choose another device.",
    )


@transaction.atomic
def _issue(
    *, device, borrower, site, actor, idempotency_key, signature_method, signature_png, connectivity, extra_accessories
) -> Loan:
    # Locks the row on PostgreSQL, so a second desk waits here and then sees the device on loan.
    device = Device.objects.select_for_update().select_related("site").get(pk=device.pk)
    problem = lending_problem(device, site=site, borrower=borrower)
    if problem:
        raise problem
    agreement = AgreementVersion.current()
    if agreement is None:
        raise DomainError("no_agreement", "There are no loan terms yet. An administrator must add them first.")
    policy = LoanPolicy.for_device(kind=device.kind, site=site)
    open_same_kind = Loan.objects.open().filter(borrower=borrower, device__kind=device.kind).count()
    if open_same_kind >= policy.max_devices:
        raise DomainError(
            "loan_limit",
            f"{borrower.name} already has {open_same_kind} "
            f"{device.get_kind_display().lower()} on loan, the most allowed.",
        )
    signature_png = signature_checked(signature_method, signature_png, who="the borrower")
    items = _available_connectivity(connectivity, site=site)

    loan = Loan.objects.create(
        device=device,
        borrower=borrower,
        site=site,
        idempotency_key=idempotency_key,
        issued_by=actor,
        due_date=due_date_for(site=site, loan_days=policy.loan_days),
        loan_days=policy.loan_days,
        renewals_allowed=policy.renewals_allowed,
        accessories=device_accessories(device) + [a.strip() for a in extra_accessories if a.strip()],
        agreement=agreement,
        signature_method=signature_method,
        signature_png=signature_png,
    )
    LoanConnectivity.objects.bulk_create([LoanConnectivity(loan=loan, item=item) for item in items])
    hold = None
    if device.status == DeviceStatus.RESERVED:
        # `lending_problem` let it through: the live reservation is this borrower's hold.
        reservation = Reservation.objects.live().get(device=device)
        hold = Hold.objects.get(reservation=reservation, status=Hold.Status.OFFERED, borrower=borrower)
        reservation_hand_out(
            reservation=reservation,
            to_status=DeviceStatus.ON_LOAN,
            actor=actor,
            site=site,
            reason=f"Lent on loan {loan.pk} (waiting-list hold {hold.pk})",
        )
    else:
        device_transition(
            device=device, to_status=DeviceStatus.ON_LOAN, actor=actor, site=site, reason=f"Lent on loan {loan.pk}"
        )
    if hold:
        Hold.objects.filter(pk=hold.pk).update(status=Hold.Status.FULFILLED, closed_at=timezone.now(), loan=loan)
    if borrower.email:
        on_commit_task("lending.tasks.email_agreement", loan.pk)
    return loan


def _available_connectivity(items: Sequence[ConnectivityItem], *, site: Site) -> list[ConnectivityItem]:
    items = list(items)
    if not items:
        return []
    lendable = set(
        ConnectivityItem.objects.lendable_at(site)
        .filter(pk__in=[item.pk for item in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        if item.pk not in lendable:
            raise DomainError("connectivity_unavailable", f"{item} is not available to lend from {site}.")
    return items


def loan_renew(*, loan: Loan, actor, token: uuid.UUID | None = None) -> Loan:
    """Renew an open loan: the new due date is the current one plus the loan length (from today if the
    loan is already overdue), moved onto a day its branch is open.

    `token` is the renew form's one-time token: the same form sent again (a double click, Back and
    resubmit, four requests at once) renews once and returns the loan as that renewal left it. Codes:
    loan_closed, no_renewals_left, others_waiting, too_soon (RENEWAL_NOT_BEFORE_DAYS, or a renewal that
    would not move the due date: it is never counted).
    """
    token = token or uuid.uuid4()
    try:
        return _renew(loan=loan, actor=actor, token=token)
    except (IntegrityError, DomainError):
        # The same form at the same moment: the other request renewed while this one waited.
        if LoanChange.objects.filter(token=token).exists():
            return Loan.objects.get(pk=loan.pk)
        raise


@transaction.atomic
def _renew(*, loan: Loan, actor, token: uuid.UUID) -> Loan:
    # Locks the loan on PostgreSQL: a second request with the same token waits here, then finds it used.
    loan = Loan.objects.select_for_update().select_related("site", "device").get(pk=loan.pk)
    if LoanChange.objects.filter(token=token).exists():
        return loan
    if not loan.is_open:
        raise DomainError("loan_closed", "This loan has already ended.")
    if loan.renewals >= loan.renewals_allowed:
        raise DomainError(
            "no_renewals_left",
            f"This loan has been renewed {loan.renewals} times, the most allowed. The device must come back.",
        )
    today = timezone.localdate()
    opens = loan.renewal_opens_on()
    if opens is not None and today < opens:
        raise DomainError(
            "too_soon",
            f"Too soon to renew: renewals open on {opens:%A %-d %B %Y}. It is due back on {loan.due_date:%-d %B %Y}.",
        )
    waiting = Hold.objects.filter(site=loan.site, device_kind=loan.device.kind, status=Hold.Status.WAITING)
    if waiting.exists():
        # As the agreement says: no renewal while someone is waiting. Holds are filled as soon as a
        # device of the type is ready at the branch, so a waiting hold means none is free.
        raise DomainError(
            "others_waiting",
            f"Someone is waiting for a {loan.device.get_kind_display().lower()} "
            f"at {loan.site}, so this loan cannot be renewed. It is due back on "
            f"{loan.due_date:%-d %B %Y}.",
        )
    new_due = due_date_for(site=loan.site, loan_days=loan.loan_days, start=max(loan.due_date, today))
    if new_due <= loan.due_date:
        raise DomainError("too_soon", f"Too soon to renew: it would still be due back on {loan.due_date:%-d %B %Y}.")
    updated = Loan.objects.filter(pk=loan.pk, closed_at__isnull=True, renewals=loan.renewals).update(
        renewals=F("renewals") + 1, due_date=new_due
    )
    if updated != 1:
        raise DomainError("concurrent_change", "Someone else changed this loan at the same moment; try again.")
    LoanChange.objects.create(
        loan=loan,
        kind=LoanChange.Kind.RENEWED,
        token=token,
        actor=actor,
        site=loan.site,
        due_before=loan.due_date,
        due_after=new_due,
    )
    loan.refresh_from_db()
    return loan


def _close(loan: Loan, *, actor, site: Site, outcome: str, **fields) -> Loan:
    now = timezone.now()
    updated = Loan.objects.filter(pk=loan.pk, closed_at__isnull=True).update(
        closed_at=now, closed_by=actor, closed_site=site, outcome=outcome, **fields
    )
    if updated != 1:
        raise DomainError("loan_closed", "This loan has already ended (perhaps at another desk).")
    loan.refresh_from_db()
    return loan


def loan_return(
    *,
    loan: Loan,
    actor,
    site: Site,
    token: uuid.UUID | None = None,
    condition_notes: str = "",
    damaged: bool = False,
    missing_accessories: Sequence[str] = (),
) -> Loan:
    """Take a device back. It held the borrower's data, so it goes back to `received` to be wiped again.

    `token` is the return form's one-time token: the same form sent twice returns the loan as the first
    left it; any second return of the loan is refused as `loan_closed`. Either way, one custody event.
    """
    token = token or uuid.uuid4()
    try:
        return _return(
            loan=loan,
            actor=actor,
            site=site,
            token=token,
            condition_notes=condition_notes,
            damaged=damaged,
            missing_accessories=missing_accessories,
        )
    except (IntegrityError, DomainError):
        if LoanChange.objects.filter(token=token).exists():
            return Loan.objects.get(pk=loan.pk)
        raise


@transaction.atomic
def _return(*, loan, actor, site, token, condition_notes, damaged, missing_accessories) -> Loan:
    if LoanChange.objects.filter(token=token).exists():
        return Loan.objects.get(pk=loan.pk)
    expected = set(loan.accessories) | {str(link.item) for link in loan.connectivity.select_related("item")}
    missing = [m for m in missing_accessories if m in expected]
    loan = _close(
        loan,
        actor=actor,
        site=site,
        outcome=Loan.Outcome.RETURNED,
        damaged=damaged,
        condition_notes=condition_notes.strip(),
        missing_accessories=missing,
    )
    LoanChange.objects.create(
        loan=loan, kind=LoanChange.Kind.RETURNED, token=token, actor=actor, site=site, due_before=loan.due_date
    )
    _settle_connectivity(loan, missing=set(missing))
    reason = (
        f"Returned from loan {loan.pk}{' damaged' if damaged else ''}; it held a borrower's data, so it "
        "must be wiped again"
    )
    device_transition(device=loan.device, to_status=DeviceStatus.RECEIVED, actor=actor, site=site, reason=reason)
    return loan


@transaction.atomic
def loan_mark_lost(*, loan: Loan, actor, site: Site, notes: str = "") -> Loan:
    """The borrower reports the device lost or stolen: the loan ends and the device is recorded lost."""
    loan = _close(
        loan,
        actor=actor,
        site=site,
        outcome=Loan.Outcome.LOST,
        condition_notes=notes.strip(),
        missing_accessories=list(loan.accessories),
    )
    _settle_connectivity(loan, missing=None)
    device_transition(
        device=loan.device,
        to_status=DeviceStatus.LOST,
        actor=actor,
        site=site,
        reason=f"Reported lost on loan {loan.pk}",
    )
    return loan


def _settle_connectivity(loan: Loan, *, missing: set[str] | None) -> None:
    now = timezone.now()
    for link in loan.connectivity.select_related("item"):
        lost = missing is None or str(link.item) in missing
        LoanConnectivity.objects.filter(pk=link.pk).update(returned_at=now, missing=lost)
        if lost:
            ConnectivityItem.objects.filter(pk=link.item_id).update(retired=True)
