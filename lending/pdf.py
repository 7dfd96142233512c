"""The signed loan agreement as a PDF, through the one PDF helper."""

from django.conf import settings

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


def agreement_filename(loan: Loan) -> str:
    # The asset tag and loan number only: file names end up in download folders and mail logs.
    return f"loan-agreement-{loan.device.asset_tag}-{loan.pk}.pdf"
