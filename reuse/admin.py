from django.contrib import admin

from reuse.models import (
    Certificate,
    CertificateEntry,
    CustodyEvent,
    Device,
    DeviceImport,
    DisposalBatch,
    DisposalItem,
    Evidence,
    ResetChecklist,
    SanitisationRecord,
    Site,
    SiteClosure,
    StorageMedium,
)


class SiteClosureInline(admin.TabularInline):
    model = SiteClosure
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "opening_days", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["staff"]
    inlines = [SiteClosureInline]


class StorageMediumInline(admin.TabularInline):
    model = StorageMedium
    extra = 0


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    """Details may be corrected here; status is read-only because only the lifecycle service moves it."""

    list_display = ["asset_tag", "kind", "make", "model", "serial", "status", "site", "grade"]
    list_filter = ["status", "kind", "site", "grade"]
    search_fields = ["asset_tag", "serial", "model", "council_asset_number"]
    list_select_related = ["site"]
    readonly_fields = ["asset_tag", "status", "status_changed_at", "cycle", "sanitised_cycle", "created_at"]
    inlines = [StorageMediumInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        # New devices come in through intake, which allocates the tag and writes the first custody event.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    list_display = ["device", "seq", "at", "from_status", "to_status", "actor", "site"]
    list_filter = ["to_status"]
    search_fields = ["device__asset_tag"]
    list_select_related = ["device", "actor", "site"]


@admin.register(SanitisationRecord)
class SanitisationRecordAdmin(ReadOnlyAdmin):
    list_display = ["device", "medium", "technique", "result", "verification_result", "ended_at"]
    list_filter = ["result", "technique"]
    search_fields = ["device__asset_tag", "medium__serial"]


@admin.register(ResetChecklist)
class ResetChecklistAdmin(ReadOnlyAdmin):
    list_display = ["device", "cycle", "completed_at"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "sha256", "size", "uploaded_by", "uploaded_at"]


class CertificateEntryInline(admin.TabularInline):
    model = CertificateEntry
    fields = ["device", "cycle", "single"]
    readonly_fields = fields
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


class DisposalItemInline(admin.TabularInline):
    model = DisposalItem
    fields = ["device"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DisposalBatch)
class DisposalBatchAdmin(ReadOnlyAdmin):
    """Read-only: disposal moves devices through the lifecycle, so batches are made on the disposal page."""

    list_display = ["reference", "method", "recycler", "waste_transfer_note", "destruction_certificate",
                    "collected_on"]
    list_filter = ["method"]
    search_fields = ["reference", "recycler", "waste_transfer_note", "destruction_certificate",
                     "items__device__asset_tag"]
    inlines = [DisposalItemInline]


@admin.register(DeviceImport)
class DeviceImportAdmin(ReadOnlyAdmin):
    """Who imported which CSV, when, and what it created. The file itself is never shown here."""

    list_display = ["pk", "file_name", "format", "site", "uploaded_by", "imported_at", "created_count",
                    "skipped_count", "first_tag", "last_tag"]
    list_filter = ["format", "site"]
    exclude = ["content", "token"]


# Label sizes and printers are registered in their own module, imported here so Django's admin finds them.
from reuse.labels import admin as labels_admin  # noqa: E402, F401
