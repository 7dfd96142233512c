"""The signed gift (or long-term loan) agreement as a PDF, through the one PDF helper."""

from django.conf import settings

from core.pdf import render_pdf
from core.qr import png_data_uri
from core.roles import staff_name
from matching.models import Handover


def build_handover_agreement(handover: Handover) -> bytes:
    handover = Handover.objects.select_related("request__organisation", "site", "performed_by", "terms", "request").get(
        pk=handover.pk
    )
    allocations = handover.allocations.select_related("device", "line").order_by("device__asset_tag")
    context = {
        "handover": handover,
        "request": handover.request,
        "organisation": handover.request.organisation,
        "terms": handover.terms,
        "items": [
            {
                "device": a.device,
                "accessories": [
                    name
                    for name, present in (("Charger", a.device.has_charger), ("Case", a.device.has_case))
                    if present
                ],
                "line": a.line,
            }
            for a in allocations
        ],
        "signature_uri": png_data_uri(bytes(handover.signature_png)) if handover.signature_png else "",
        "staff_name": staff_name(handover.performed_by),
        "SERVICE_NAME": settings.SERVICE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "COUNCIL_PHONE": settings.COUNCIL_PHONE,
        "COUNCIL_EMAIL": settings.COUNCIL_EMAIL,
    }
    return render_pdf("matching/handover_pdf.html", context)


def agreement_filename(handover: Handover) -> str:
    # References only: file names end up in download folders and mail logs.
    kind = "gift" if handover.is_gift else "loan"
    return f"{kind}-agreement-{handover.reference}.pdf"
