"""Wipe records, reset checklists and evidence: read-only, since they are the record."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from reuse.models import Evidence, ResetChecklist, SanitisationRecord


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
