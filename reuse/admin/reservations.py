"""Reservations: shown, never edited (only `reuse.services.reservations` opens and ends them)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from reuse.models import Reservation


@admin.register(Reservation)
class ReservationAdmin(ReadOnlyAdmin):
    list_display = ["device", "owner", "created_at", "ended_at", "end"]
    list_filter = ["owner", "end"]
    search_fields = ["device__asset_tag"]
    list_select_related = ["device"]
