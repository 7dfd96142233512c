"""The signed loan agreement as a PDF, through the one PDF helper."""

from django.conf import settings

from lending.models import Loan
from reuse.pdfrender import render_pdf
from reuse.qr import png_data_uri


def build_loan_agreement(loan: Loan) -> bytes:
    loan = (Loan.objects.select_related("device", "borrower", "site", "issued_by", "agreement")
            .prefetch_related("connectivity__item").get(pk=loan.pk))
    context = {
        "loan": loan,
        "device": loan.device,
        "borrower": loan.borrower,
        "agreement": loan.agreement,
        "connectivity": [link.item for link in loan.connectivity.all()],
        "signature_uri": png_data_uri(bytes(loan.signature_png)) if loan.signature_png else "",
        "staff_name": loan.issued_by.get_full_name() or loan.issued_by.username,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
        "COUNCIL_EMAIL": settings.COUNCIL_EMAIL,
    }
    return render_pdf("lending/agreement_pdf.html", context)


def agreement_filename(loan: Loan) -> str:
    # The asset tag and loan number only: file names end up in download folders and mail logs.
    return f"loan-agreement-{loan.device.asset_tag}-{loan.pk}.pdf"
