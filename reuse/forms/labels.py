"""Forms for printing labels: validation only; the rules live in `reuse.services.labels`."""

from django import forms
from django.conf import settings

from core.forms import GovukForm, IdsField
from reuse.models import Device, DeviceStatus, LabelTemplate, Printer


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class LabelOptionsForm(GovukForm):
    """Label size, printer and positions to skip: common to every way of printing."""

    template = TemplateChoiceField(
        LabelTemplate.objects.active(),
        required=False,
        label="Label size",
        widget=forms.RadioSelect,
        empty_label="The printer's usual size",
        blank=True,
    )
    printer = forms.ModelChoiceField(
        Printer.objects.active().select_related("site"),
        required=False,
        label="Printer",
        empty_label="No printer adjustment",
        help_text="The printer's calibration offsets are applied to the labels.",
    )
    skip = forms.IntegerField(
        min_value=0,
        initial=0,
        required=False,
        label="Labels already used on the first sheet",
        help_text="Counting across, then down. For a part-used sheet: 5 leaves the first 5 positions blank.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        printer = cleaned.get("printer")
        template = cleaned.get("template") or (printer.default_template if printer else None)
        if template is None or not template.active:
            self.add_error("template", "Choose a label size" + (" (this printer has no usual size)" if printer else ""))
            return cleaned
        cleaned["template"] = template
        if "skip" not in self.fields:
            return cleaned
        skip = cleaned["skip"] = cleaned.get("skip") or 0
        if skip >= template.per_sheet:
            self.add_error(
                "skip",
                f"{template.code} has {template.per_sheet} labels a sheet: skip between 0 and {template.per_sheet - 1}",
            )
        return cleaned


class LabelPrintForm(LabelOptionsForm):
    """Which devices: those chosen in the inventory (hidden), typed or scanned tags, or a status."""

    device = IdsField(Device.objects.all(), required=False, widget=forms.MultipleHiddenInput)
    tags = forms.CharField(
        required=False,
        label="Asset tags",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="Scan or type them, one per line or separated by commas. Pre-printed labels can be reprinted too.",
    )
    status = forms.ChoiceField(
        required=False,
        label="Or every device with this status",
        choices=[("", "Choose a status"), *DeviceStatus.choices],
    )
    field_order = ["tags", "status", "template", "printer", "skip"]

    def clean(self):
        cleaned = super().clean()
        sources = [bool(cleaned.get("device")), bool((cleaned.get("tags") or "").strip()), bool(cleaned.get("status"))]
        if sum(sources) == 0:
            self.add_error("tags", "Enter asset tags or choose a status")
        elif sum(sources) > 1 and not sources[0]:
            self.add_error("status", "Enter asset tags or choose a status, not both")
        return cleaned


class PreprintForm(LabelOptionsForm):
    count = forms.IntegerField(
        min_value=1,
        max_value=settings.LABELS_MAX_BATCH,
        label="How many labels",
        help_text="Each gets a new asset tag now. Stick one on a device when it arrives and scan it at intake.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    field_order = ["count", "template", "printer", "skip"]


class CalibrationForm(LabelOptionsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["skip"]
