"""Certificates of sanitisation: issue, download (staff), and the public check behind the QR code."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.ratelimit import for_anonymous, rate_limit
from core.roles import IT, role_required
from reuse.models import Certificate, Device
from reuse.services.certificates import RENDER_INLINE_MAX, certificate_issue, certificate_render


@role_required(IT)
@require_http_methods(["POST"])
def device_certificate(request, tag: str):
    device = get_object_or_404(Device, asset_tag=tag.upper())
    try:
        certificate = certificate_issue(devices=[device], actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(device)
    return redirect(certificate)


@role_required(IT)
def certificate_detail(request, number: str):
    certificate = get_object_or_404(Certificate.objects.select_related("issued_by"), number=number.upper())
    entries = certificate.entries.select_related("device")
    return render(request, "reuse/sanitisation/certificate.html", {"certificate": certificate, "entries": entries})


@role_required(IT)
def certificate_pdf(request, number: str):
    """The PDF as issued. A small one not rendered yet (no task worker running) is rendered now."""
    certificate = get_object_or_404(Certificate, number=number.upper())
    if not certificate.pdf and certificate.entries.count() <= RENDER_INLINE_MAX:
        certificate = certificate_render(certificate=certificate)
    if not certificate.pdf:
        messages.info(request, "The certificate is still being prepared. Try again in a minute.")
        return redirect(certificate)
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@rate_limit("certificate-verify", for_anonymous("60/m"))
def certificate_verify(request, token: str):
    """Public: what a certificate covers. No names, no full serials; found only by its random token."""
    certificate = get_object_or_404(Certificate, token=token.strip().upper())
    devices = []
    for entry in certificate.entries.select_related("device"):
        frozen = entry.snapshot
        devices.append(
            {
                **frozen,
                # The one fact of today shown: the device came back since, so it is wiped again before reuse.
                "returned_since": entry.device.cycle > entry.cycle,
                "media": [
                    {**m, "ended_at": _when(m["ended_at"]), "verified_at": _when(m["verified_at"])}
                    for m in frozen.get("media", [])
                ],
                "checklists": [{"completed_at": _when(c["completed_at"])} for c in frozen.get("checklists", [])],
            }
        )
    context = {"certificate": certificate, "devices": devices, "council_name": settings.COUNCIL_NAME}
    return render(request, "reuse/sanitisation/verify_public.html", context)


def _when(iso: str | None):
    return datetime.datetime.fromisoformat(iso) if iso else None
