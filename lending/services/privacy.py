"""A borrower's rights over their data: what Relay holds about them (subject access), erasure on request,
and the retention rule that anonymises them once they no longer borrow.

Anonymising keeps every loan, hold and custody event, and the figures built on them; it removes the name,
contact details, card number, support needs and the drawn signatures on their loans. The postcode is cut
to its district ("AN1"), which is what the figures by area use.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from core.errors import DomainError
from core.models import AccessAction
from core.privacy import accesses_of, log_access
from core.retention import RetentionRule
from core.roles import staff_name
from lending.models import Borrower, Hold, Loan

ANONYMISED_NAME = "Anonymised borrower"


def _district(postcode: str) -> str:
    """The outward half of a UK postcode ("AN1 2AB" -> "AN1"): an area of thousands of homes."""
    return postcode.split(" ")[0][:4] if postcode else ""


@transaction.atomic
def borrower_anonymise(*, borrower: Borrower) -> Borrower:
    """Remove `borrower`'s personal data in place, and the signatures drawn on their loans. Idempotent."""
    now = timezone.now()
    Borrower.objects.filter(pk=borrower.pk).update(
        name=ANONYMISED_NAME,
        card_number=f"ANON-{borrower.pk}",
        email="",
        phone="",
        postcode=_district(borrower.postcode),
        support_needs="",
        anonymised_at=borrower.anonymised_at or now,
    )
    Loan.objects.filter(borrower=borrower, signature_png__isnull=False).update(
        signature_png=None, signature_erased_at=now
    )
    borrower.refresh_from_db()
    return borrower


@transaction.atomic
def borrower_erase(*, borrower: Borrower, actor) -> Borrower:
    """Erasure on the borrower's request: refused while a loan is open (the device is still theirs to bring
    back); their waiting-list places end. Logged in the personal-data access log."""
    if Loan.objects.open().filter(borrower=borrower).exists():
        raise DomainError(
            "loan_open",
            "They have a device on loan: their details are needed until it comes back. Erase them after the return.",
        )
    Hold.objects.filter(borrower=borrower, status__in=Hold.LIVE).update(
        status=Hold.Status.CANCELLED, closed_at=timezone.now()
    )
    borrower_anonymise(borrower=borrower)
    log_access(actor=actor, subject=borrower, action=AccessAction.ERASE, what="erasure on request")
    return borrower


def borrowers_due_for_anonymising(now: datetime.datetime):
    """Borrowers with no open loan and no live waiting-list place whose last loan closed, last place ended
    and registration are all longer ago than BORROWER_RETENTION_DAYS."""
    cutoff = now - datetime.timedelta(days=settings.BORROWER_RETENTION_DAYS)
    return (
        Borrower.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .exclude(pk__in=Loan.objects.open().values("borrower_id"))
        .exclude(pk__in=Hold.objects.filter(status__in=Hold.LIVE).values("borrower_id"))
        .annotate(last_loan=Max("loans__closed_at"), last_hold=Max("holds__closed_at"))
        .filter(Q(last_loan__isnull=True) | Q(last_loan__lt=cutoff))
        .filter(Q(last_hold__isnull=True) | Q(last_hold__lt=cutoff))
        .order_by("pk")
    )


def _anonymise_due(record) -> None:
    borrower_anonymise(borrower=record)


BORROWER_RETENTION = RetentionRule(
    name="borrowers",
    period_setting="BORROWER_RETENTION_DAYS",
    due=borrowers_due_for_anonymising,
    anonymise=_anonymise_due,
)


def borrower_export(*, borrower: Borrower, actor) -> dict:
    """Everything Relay holds about `borrower`, for a subject-access request: their details, loans, waiting-list
    places and every logged look at their record (who and when). The export itself is logged."""
    log_access(actor=actor, subject=borrower, action=AccessAction.EXPORT, what="subject access export")
    loans = borrower.loans.select_related("device", "site", "closed_site", "agreement").order_by("issued_at")
    return {
        "borrower": {
            "name": borrower.name,
            "library_card": borrower.card_number,
            "email": borrower.email,
            "phone": borrower.phone,
            "postcode": borrower.postcode,
            "support_needs": borrower.support_needs,
            "registered_at": borrower.created_at.isoformat(),
            "anonymised_at": borrower.anonymised_at.isoformat() if borrower.anonymised_at else None,
        },
        "loans": [
            {
                "device": loan.device.asset_tag,
                "device_type": loan.device.get_kind_display(),
                "branch": loan.site.name,
                "issued_at": loan.issued_at.isoformat(),
                "due_date": loan.due_date.isoformat(),
                "renewals": loan.renewals,
                "agreement_version": loan.agreement.number,
                "signed": loan.get_signature_method_display(),
                "signature_kept": loan.signature_png is not None,
                "accessories": loan.accessories,
                "closed_at": loan.closed_at.isoformat() if loan.closed_at else None,
                "outcome": loan.get_outcome_display(),
                "returned_at_branch": loan.closed_site.name if loan.closed_site else None,
            }
            for loan in loans
        ],
        "waiting_list": [
            {
                "device_type": hold.get_device_kind_display(),
                "branch": hold.site.name,
                "joined_at": hold.created_at.isoformat(),
                "status": hold.get_status_display(),
            }
            for hold in borrower.holds.select_related("site").order_by("created_at")
        ],
        "accesses": [
            {
                "at": access.at.isoformat(),
                "by": staff_name(access.actor) if access.actor else "Relay (automatic)",
                "action": access.get_action_display(),
                "channel": access.get_channel_display(),
                "what": access.what,
            }
            for access in accesses_of(borrower)
        ],
        "exported_at": timezone.now().isoformat(),
        "service": settings.SERVICE_NAME,
        "council": settings.COUNCIL_NAME,
    }
