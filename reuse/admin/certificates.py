"""Issued certificates of sanitisation: shown, never edited."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from reuse.models import Certificate, CertificateEntry


class CertificateEntryInline(ReadOnlyInline):
    model = CertificateEntry
    fields = ("device", "cycle", "single")


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    """Issued certificates are evidence: shown, never edited. The token stays out of lists and searches."""

    list_display = ["number", "issued_at", "issued_by"]
    search_fields = ["number", "entries__device__asset_tag"]
    list_select_related = ["issued_by"]
    fields = ["number", "issued_at", "issued_by", "pdf", "pdf_sha256"]
    inlines = [CertificateEntryInline]
