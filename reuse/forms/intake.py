"""Forms for intake: one device with its drives, or a CSV upload. Validation only."""

import re

from django import forms
from django.conf import settings

from core.forms import GovukForm, GovukModelForm
from reuse.intake.reader import EXCEL_MESSAGE, excel_mangled
from reuse.models import Device, DeviceImport, DeviceKind, Grade, Site, StorageType, asset_tag_from_scan, validate_imei

TAG = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,19}$")
NEEDS_DRIVE = {DeviceKind.LAPTOP, DeviceKind.DESKTOP}
WIDTH = {
    "width-5": "govuk-input--width-5",
    "width-10": "govuk-input--width-10",
    "width-20": "govuk-input--width-20",
    "width-30": "govuk-input--width-30",
}


def _input(width: str, **attrs):
    return forms.TextInput(attrs={"class": WIDTH[width], "spellcheck": "false", **attrs})


def _number(width: str = "width-5"):
    return forms.NumberInput(attrs={"class": WIDTH[width], "inputmode": "numeric"})


def default_site(user):
    return (
        user.sites.filter(kind=Site.Kind.DEPOT, active=True).first()
        or Site.objects.active().filter(kind=Site.Kind.DEPOT).first()
    )


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class DeviceForm(GovukModelForm):
    """One device, as an IT technician records it at the bench."""

    error_overrides = {
        "kind": {"required": "Select the device type"},
        "site": {"required": "Select where the device is now"},
        "updates_until": {"invalid": "The security updates date must be a real date, like 12/10/2027"},
    }

    label = forms.CharField(
        label="Pre-printed label",
        required=False,
        max_length=200,
        help_text="If a label printed in advance is already on the device, scan or type it. "
        "Leave blank and Relay gives the device a new asset tag.",
        widget=_input("width-20", autocomplete="off", autocapitalize="characters"),
    )
    # Wider than the 15 digits stored: people type IMEIs with spaces or dashes, as the box prints them.
    imei = forms.CharField(
        label="IMEI",
        required=False,
        max_length=25,
        help_text="Phones only: dial *#06# or look on the SIM tray. 15 digits.",
        widget=_input("width-20", inputmode="numeric"),
    )
    accessories = forms.MultipleChoiceField(
        label="Accessories included",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("has_charger", "Charger"), ("has_case", "Case")],
    )
    webcam = forms.TypedChoiceField(
        label="Webcam",
        required=False,
        coerce=lambda v: v == "yes",
        empty_value=None,
        choices=[("", "Not checked"), ("yes", "Works"), ("no", "None, or does not work")],
        widget=forms.RadioSelect(attrs={"inline": True}),
    )

    class Meta:
        model = Device
        fields = [
            "kind",
            "make",
            "model",
            "serial",
            "imei",
            "council_asset_number",
            "cpu",
            "ram_gb",
            "storage_gb",
            "storage_type",
            "os_name",
            "os_version",
            "tpm_version",
            "battery_health_pct",
            "webcam",
            "updates_until",
            "grade",
            "source_department",
            "lot",
            "site",
            "notes",
        ]
        labels = {"kind": "Type", "imei": "IMEI", "site": "Where is it now?", "lot": "Lot or batch"}
        help_texts = {
            "council_asset_number": "The council's own asset tag, from the asset register.",
            "updates_until": "When its operating system stops getting security updates, for example 12/10/2027. "
            "Leave blank and Relay fills it from its table of operating systems and models.",
            "lot": "For example the collection or delivery it came in with.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "grade": forms.RadioSelect,
            "make": _input("width-20"),
            "model": _input("width-30"),
            "serial": _input("width-20"),
            "council_asset_number": _input("width-10"),
            "cpu": _input("width-30"),
            "ram_gb": _number(),
            "storage_gb": _number(),
            "os_name": _input("width-20"),
            "os_version": _input("width-10"),
            "tpm_version": _input("width-5"),
            "battery_health_pct": _number(),
            "source_department": _input("width-30"),
            "lot": _input("width-20"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "updates_until": _input("width-10", inputmode="numeric"),
        }
        field_classes = {"site": SiteChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.active().order_by("name")
        self.fields["site"].empty_label = None
        self.fields["kind"].choices = list(DeviceKind.choices)
        self.fields["grade"].choices = list(Grade.choices)
        self.fields["grade"].required = False
        self.fields["storage_type"].choices = [("", "Not known")] + list(StorageType.choices)
        if user is not None and not self.is_bound and "site" not in self.initial:
            self.initial["site"] = default_site(user)

    def clean_label(self):
        value = self.cleaned_data["label"].strip()
        if not value:
            return ""
        tag = asset_tag_from_scan(value)  # a scanner types the whole URL the QR code holds
        if not TAG.match(tag):
            raise forms.ValidationError("Enter the asset tag printed on the label, like RLY-000123")
        if Device.objects.filter(asset_tag=tag).exists():
            raise forms.ValidationError(f"The label {tag} is already on another device")
        return tag

    def _unique(self, field: str, value: str, what: str):
        if value and (other := Device.objects.filter(**{field: value}).only("asset_tag").first()):
            raise forms.ValidationError(f"{other.asset_tag} already has {what} {value}")
        return value

    def clean_serial(self):
        value = self.cleaned_data["serial"].strip()
        if excel_mangled(value):
            raise forms.ValidationError(EXCEL_MESSAGE.format(value))
        return self._unique("serial", value, "serial number")

    def clean_imei(self):
        value = re.sub(r"[\s-]", "", self.cleaned_data["imei"])
        if excel_mangled(self.cleaned_data["imei"]):
            raise forms.ValidationError(EXCEL_MESSAGE.format(self.cleaned_data["imei"]))
        validate_imei(value)
        return self._unique("imei", value, "IMEI")

    def clean_council_asset_number(self):
        return self._unique(
            "council_asset_number", self.cleaned_data["council_asset_number"].strip(), "council asset number"
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == DeviceKind.PHONE and "imei" in data and not data["imei"]:
            self.add_error("imei", "Enter the phone's IMEI")
        identity = ("serial", "imei", "council_asset_number")
        if data.get("kind") and all(name in data and not data[name] for name in identity):
            self.add_error("serial", "Enter the serial number (or the IMEI or council asset number if it has none)")
        return data

    def device_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "site"}
        accessories = self.cleaned_data.get("accessories", [])
        return {**fields, "has_charger": "has_charger" in accessories, "has_case": "has_case" in accessories}


class DriveRowForm(GovukForm):
    """One drive row of the register-a-device form. A row left completely blank is ignored."""

    kind = forms.ChoiceField(label="Type", choices=[("", "Choose")] + list(StorageType.choices), required=False)
    make = forms.CharField(max_length=60, required=False, widget=_input("width-10"))
    model = forms.CharField(max_length=100, required=False, widget=_input("width-10"))
    serial = forms.CharField(label="Serial number", max_length=80, required=False, widget=_input("width-20"))
    capacity_gb = forms.IntegerField(
        label="Capacity (GB)", min_value=1, max_value=1_000_000, required=False, widget=_number()
    )

    def clean_serial(self):
        value = self.cleaned_data["serial"].strip()
        if excel_mangled(value):
            raise forms.ValidationError(EXCEL_MESSAGE.format(value))
        return value

    def clean(self):
        data = super().clean()
        if self.filled() and not data.get("kind"):
            self.add_error("kind", "Choose the drive's type")
        return data

    def filled(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("kind", "make", "model", "serial", "capacity_gb"))


class BaseMediumFormSet(forms.BaseFormSet):
    kind = None  # set by the view from the device form

    def clean(self):
        if any(self.errors):
            return
        if self.kind in NEEDS_DRIVE and not any(form.filled() for form in self.forms):
            self.forms[0].add_error(
                "kind", f"A {DeviceKind(self.kind).label.lower()} needs at least one drive: choose its type"
            )

    def media(self) -> list[dict]:
        return [
            {k: v for k, v in form.cleaned_data.items() if v not in ("", None)} for form in self.forms if form.filled()
        ]


def medium_formset(*, data=None, initial=None, kind=None, extra=1) -> BaseMediumFormSet:
    """The drive rows: one blank row to start with, or the rows typed so far (plus a blank one)."""
    cls = forms.formset_factory(DriveRowForm, formset=BaseMediumFormSet, extra=extra, max_num=8, absolute_max=8)
    formset = cls(data=data, initial=initial, prefix="media")
    formset.kind = kind
    return formset


class SiteDefaultMixin:
    """Active sites only, defaulting to the user's IT depot."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.active().order_by("name")
        self.fields["site"].empty_label = None
        if user is not None and not self.is_bound and not self.instance.pk:
            self.initial["site"] = default_site(user)


# The questions these forms ask, as their errors say them.
WHERE_AND_HOW = {
    "site": {"required": "Select where the devices are now"},
    "date_format": {"required": "Select how dates are written in the file"},
}


class UploadForm(SiteDefaultMixin, GovukModelForm):
    error_overrides = WHERE_AND_HOW
    file = forms.FileField(
        label="CSV file",
        help_text="Relay's intake template or a Snipe-IT asset export, saved as CSV UTF-8. Up to 50,000 rows.",
    )

    class Meta:
        model = DeviceImport
        fields = ["file", "site", "date_format", "lot"]
        labels = {
            "site": "Where are the devices now?",
            "date_format": "How are dates written in the file?",
            "lot": "Lot or batch",
        }
        help_texts = {"lot": "Given to rows that do not have their own."}
        widgets = {"date_format": forms.RadioSelect, "lot": _input("width-20")}
        field_classes = {"site": SiteChoiceField}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.CSV_UPLOAD_MAX_BYTES:
            limit = settings.CSV_UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file is larger than {limit} MB: split it into smaller files")
        head = upload.read(4)
        upload.seek(0)
        if head.startswith(b"PK\x03\x04"):
            raise forms.ValidationError(
                "This is an Excel workbook, not a CSV: in Excel choose File, Save As, “CSV UTF-8 (comma delimited)”"
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        return upload


class ImportOptionsForm(SiteDefaultMixin, GovukModelForm):
    """Change how the uploaded file is read, without uploading it again."""

    error_overrides = WHERE_AND_HOW

    class Meta(UploadForm.Meta):
        fields = ["site", "date_format", "lot"]
