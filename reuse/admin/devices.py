"""Devices and their custody record: details may be corrected, statuses never."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from reuse.models import CustodyEvent, Device, StorageMedium


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


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    list_display = ["device", "seq", "at", "from_status", "to_status", "actor", "site"]
    list_filter = ["to_status"]
    search_fields = ["device__asset_tag"]
    list_select_related = ["device", "actor", "site"]
