"""A borrower's subject-access export (JSON and PDF) and erasure on request, for desk staff.

Reached from the borrower's page through a small include (templates/lending/privacy/_actions.html); each
export and erasure is written to the personal-data access log by the service.
"""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import DomainError
from core.roles import DESK, role_required
from lending.models import Borrower
from lending.pdf import build_subject_access
from lending.services.privacy import borrower_erase, borrower_export


def _borrower(key) -> Borrower:
    """The one lookup these pages make (it follows the borrower pages' own: desk staff only, by the
    borrower's random key, never a counted id)."""
    return get_object_or_404(Borrower, key=key)


def _download(content: bytes, content_type: str, borrower: Borrower, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # The record's number only: file names end up in download folders and mail logs.
    response["Content-Disposition"] = f'attachment; filename="subject-access-{borrower.pk}.{extension}"'
    return response


@require_GET
@never_cache
@role_required(DESK)
def borrower_export_json(request, key):
    borrower = _borrower(key)
    data = borrower_export(borrower=borrower, actor=request.user)
    return _download(json.dumps(data, indent=1, ensure_ascii=False).encode(), "application/json", borrower, "json")


@require_GET
@never_cache
@role_required(DESK)
def borrower_export_pdf(request, key):
    borrower = _borrower(key)
    pdf = build_subject_access(borrower_export(borrower=borrower, actor=request.user))
    return _download(pdf, "application/pdf", borrower, "pdf")


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(DESK)
def borrower_erase_view(request, key):
    borrower = _borrower(key)
    error = None
    if request.method == "POST" and not borrower.is_anonymised:
        try:
            borrower_erase(borrower=borrower, actor=request.user)
        except DomainError as refusal:
            error = refusal.message
        else:
            messages.success(request, "Their personal details have been erased. Their loans stay on record.")
            return redirect(borrower)
    open_loans = borrower.loans.open().select_related("device")
    return render(
        request,
        "lending/privacy/erase.html",
        {"borrower": borrower, "open_loans": open_loans, "error": error},
        status=400 if error else 200,
    )
