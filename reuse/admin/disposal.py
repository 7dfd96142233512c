"""Disposal batches: read-only, since disposal moves devices through the lifecycle."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from reuse.models import DisposalBatch, DisposalItem


class DisposalItemInline(ReadOnlyInline):
    model = DisposalItem
    fields = ("device",)


@admin.register(DisposalBatch)
class DisposalBatchAdmin(ReadOnlyAdmin):
    """Read-only: disposal moves devices through the lifecycle, so batches are made on the disposal page."""

    list_display = ["reference", "method", "recycler", "waste_transfer_note", "destruction_certificate", "collected_on"]
    list_filter = ["method"]
    search_fields = [
        "reference",
        "recycler",
        "waste_transfer_note",
        "destruction_certificate",
        "items__device__asset_tag",
    ]
    inlines = [DisposalItemInline]
