"""Issued certificates of sanitisation: shown, never edited."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from reuse.models import Certificate, CertificateEntry


class CertificateEntryInline(admin.TabularInline):
    model = CertificateEntry
    readonly_fields = ("device", "cycle", "single")
    fields = readonly_fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    """Issued certificates are evidence: shown, never edited. The token stays out of lists and searches."""

    list_display = ["number", "issued_at", "issued_by"]
    search_fields = ["number", "entries__device__asset_tag"]
    list_select_related = ["issued_by"]
    fields = ["number", "issued_at", "issued_by", "pdf", "pdf_sha256"]
    inlines = [CertificateEntryInline]
