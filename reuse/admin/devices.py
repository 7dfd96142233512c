"""Devices and their custody record: details may be corrected, statuses never."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from reuse.models import CustodyEvent, Device, StorageMedium


class StorageMediumInline(ReadOnlyInline):
    """Drives are added and taken out on the device's page, which notes it in the custody record."""

    model = StorageMedium
    fields = ("kind", "make", "model", "serial", "capacity_gb", "removed_at")


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    """Details may be corrected here. Status, site, type and drives are read-only: they change where a device
    is or what it is, so they change only through the services that write a custody event (the device's
    own page, linked from here)."""

    list_display = ["asset_tag", "kind", "make", "model", "serial", "status", "site", "grade"]
    list_filter = ["status", "kind", "site", "grade"]
    search_fields = ["asset_tag", "serial", "model", "council_asset_number"]
    list_select_related = ["site"]
    readonly_fields = [
        "asset_tag",
        "device_page",
        "kind",
        "site",
        "status",
        "status_changed_at",
        "cycle",
        "sanitised_cycle",
        "created_at",
    ]
    inlines = [StorageMediumInline]
    show_full_result_count = False

    @admin.display(description="device page")
    def device_page(self, obj):
        url = reverse("device-label", args=[obj.asset_tag])
        return format_html('<a href="{}">Move it, change its type or its drives on its page</a>', url)

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
