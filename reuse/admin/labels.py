"""Admin for label sizes and printers: administrators add and correct them here, without code."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin
from reuse.models import LabelJob, LabelTemplate, PreprintedTag, Printer


def _calibration_link(query: str) -> str:
    return format_html('<a href="{}?{}">Print a calibration page</a>', reverse("reuse:label-calibration"), query)


@admin.register(LabelTemplate)
class LabelTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "per_sheet_display", "label_size", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    readonly_fields = ["calibration"]
    fieldsets = [
        (None, {"fields": ["code", "name", "active"]}),
        ("Page", {"fields": ["page_width_mm", "page_height_mm"]}),
        (
            "Labels on the page",
            {
                "description": "Measure from the page's top-left corner. The manufacturer's template usually gives "
                "these figures; Relay checks that every label fits on the page.",
                "fields": [
                    "columns",
                    "rows",
                    "label_width_mm",
                    "label_height_mm",
                    "top_margin_mm",
                    "left_margin_mm",
                    "horizontal_pitch_mm",
                    "vertical_pitch_mm",
                    "corner_radius_mm",
                    "padding_mm",
                ],
            },
        ),
        (
            "What each label shows",
            {
                "description": "Every label has the QR code.",
                "fields": ["show_tag", "show_service_name", "show_type_model"],
            },
        ),
        ("Check it", {"fields": ["calibration"]}),
    ]

    @admin.display(description="labels a sheet")
    def per_sheet_display(self, obj):
        return obj.per_sheet

    @admin.display(description="label size")
    def label_size(self, obj):
        return f"{obj.label_width_mm} x {obj.label_height_mm} mm"

    @admin.display(description="calibration page")
    def calibration(self, obj):
        return _calibration_link(f"template={obj.pk}") if obj.pk else "Save the label size first."


@admin.register(Printer)
class PrinterAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "default_template", "offset_x_mm", "offset_y_mm", "active"]
    list_filter = ["active", "site"]
    list_select_related = ["site", "default_template"]
    readonly_fields = ["calibration"]
    fields = ["name", "site", "default_template", "offset_x_mm", "offset_y_mm", "notes", "active", "calibration"]

    @admin.display(description="calibration page")
    def calibration(self, obj):
        if not obj.pk:
            return "Save the printer first."
        template = f"&template={obj.default_template_id}" if obj.default_template_id else ""
        return _calibration_link(f"printer={obj.pk}{template}")


@admin.register(LabelJob)
class LabelJobAdmin(ReadOnlyAdmin):
    list_display = ["pk", "created_at", "kind", "template", "count", "status", "created_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["template", "created_by"]
    exclude = ["tags"]


@admin.register(PreprintedTag)
class PreprintedTagAdmin(ReadOnlyAdmin):
    list_display = ["asset_tag", "created_at", "created_by", "device", "claimed_at"]
    list_filter = [("device", admin.EmptyFieldListFilter)]
    search_fields = ["asset_tag"]
    list_select_related = ["created_by", "device"]
