"""The security-support table: administrators keep it up to date and fill devices from it."""

from django.contrib import admin, messages

from reuse.models import Device, SupportWindow
from reuse.services.support import devices_fill_updates_until


@admin.register(SupportWindow)
class SupportWindowAdmin(admin.ModelAdmin):
    list_display = ["os_name", "os_version", "make", "model_family", "updates_until", "notes"]
    list_filter = ["os_name"]
    search_fields = ["os_name", "os_version", "make", "model_family"]
    actions = ["fill_devices"]

    @admin.action(description="Fill in devices with no security-updates date from the whole table")
    def fill_devices(self, request, queryset):
        filled = devices_fill_updates_until(Device.objects.filter(updates_until__isnull=True).iterator())
        self.message_user(request, f"{filled} devices given a security-updates date.", messages.SUCCESS)
