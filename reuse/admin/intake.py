"""CSV intakes: who imported which file, when, and what it created."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from reuse.models import DeviceImport


@admin.register(DeviceImport)
class DeviceImportAdmin(ReadOnlyAdmin):
    """Who imported which CSV, when, and what it created. The file itself is never shown here."""

    list_display = [
        "pk",
        "file_name",
        "format",
        "site",
        "uploaded_by",
        "imported_at",
        "created_count",
        "skipped_count",
        "first_tag",
        "last_tag",
    ]
    list_filter = ["format", "site"]
    exclude = ["content", "token"]
