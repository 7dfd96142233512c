"""The signed loan agreement and the subject-access export as PDFs, through the one PDF helper."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from core.pdf import render_pdf
from core.qr import png_data_uri
from core.roles import staff_name
from lending.models import Loan


def build_loan_agreement(loan: Loan) -> bytes:
    loan = (
        Loan.objects.select_related("device", "borrower", "site", "issued_by", "agreement")
        .prefetch_related("connectivity__item")
        .get(pk=loan.pk)
    )
    context = {
        "loan": loan,
        "device": loan.device,
        "borrower": loan.borrower,
        "agreement": loan.agreement,
        "connectivity": [link.item for link in loan.connectivity.all()],
        "signature_uri": png_data_uri(bytes(loan.signature_png)) if loan.signature_png else "",
        "staff_name": staff_name(loan.issued_by),
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
        "COUNCIL_EMAIL": settings.COUNCIL_EMAIL,
    }
    return render_pdf("lending/agreement_pdf.html", context)


# The two printers a desk has: an 80 mm receipt printer and an ordinary A4 one.
SLIP_LAYOUTS = {"receipt": "80mm 150mm", "a4": "A4"}


def build_loan_slip(loan: Loan, *, layout: str = "receipt") -> bytes:
    """The slip handed over at issue (an open loan: due date) or at return (a returned loan: when and
    where), with how to return it, the branch's opening days and the council's phone. The card is
    masked as on screen; no contact details."""
    loan = Loan.objects.select_related("device", "borrower", "site", "closed_site").get(pk=loan.pk)
    context = {
        "loan": loan,
        "device": loan.device,
        "borrower": loan.borrower,
        "returned": loan.outcome == Loan.Outcome.RETURNED,
        "branch": loan.closed_site or loan.site,
        "page_size": SLIP_LAYOUTS[layout],
        "receipt": layout == "receipt",
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
    }
    return render_pdf("lending/slip_pdf.html", context)


def slip_filename(loan: Loan, layout: str) -> str:
    kind = "return" if loan.outcome == Loan.Outcome.RETURNED else "issue"
    return f"{kind}-slip-{loan.device.asset_tag}-{loan.pk}-{layout}.pdf"


def agreement_filename(loan: Loan) -> str:
    # The asset tag and loan number only: file names end up in download folders and mail logs.
    return f"loan-agreement-{loan.device.asset_tag}-{loan.pk}.pdf"


def _when(iso: str | None) -> str:
    return date_format(timezone.localtime(datetime.datetime.fromisoformat(iso)), "j M Y H:i") if iso else ""


def _day(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "j M Y")


def build_subject_access(export: dict) -> bytes:
    """The readable PDF of a subject-access export (lending.services.privacy.borrower_export)."""
    context = {
        **export,
        "exported_on": _when(export["exported_at"]),
        "registered": _when(export["borrower"]["registered_at"]),
        "loans": [
            {
                **loan,
                "issued": _when(loan["issued_at"]),
                "due": _day(loan["due_date"]),
                "closed": _when(loan["closed_at"]),
            }
            for loan in export["loans"]
        ],
        "waiting_list": [{**hold, "joined": _when(hold["joined_at"])} for hold in export["waiting_list"]],
        "accesses": [{**access, "when": _when(access["at"])} for access in export["accesses"]],
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
        "COUNCIL_EMAIL": settings.COUNCIL_EMAIL,
    }
    return render_pdf("lending/privacy/export_pdf.html", context)
