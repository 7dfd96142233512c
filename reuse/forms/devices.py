"""The device page's forms: its status change, its details and a correction. Validation only; the services decide."""

from django import forms

from core.forms import GovukForm
from reuse.forms.intake import DeviceForm
from reuse.models import Device, DeviceStatus

# Statuses staff set from the device page. Reserved, on loan and gifted are reached through lending
# and matching (loans, holds, handovers), never by picking them here.
DEVICE_PAGE_STATUSES = frozenset(DeviceStatus) - {DeviceStatus.RESERVED, DeviceStatus.ON_LOAN, DeviceStatus.GIFTED}
# Statuses a device leaves only through the record that holds it: its loan (returned or lost at the desk)
# or its reservation (the hold or allocation cancelled, the handover). From the device page the loan would
# stay open, or the reservation live, on a device back on the shelf.
HELD_STATUSES = frozenset({DeviceStatus.RESERVED, DeviceStatus.ON_LOAN})


def page_statuses(current: str, allowed) -> frozenset[str]:
    """What the device page may move a device in `current` to, of the lifecycle's `allowed`."""
    return frozenset() if current in HELD_STATUSES else frozenset(allowed) & DEVICE_PAGE_STATUSES


class TransitionForm(GovukForm):
    to_status = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason", max_length=300, required=False, help_text="Recorded in the custody record")

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, DeviceStatus(s).label) for s in DeviceStatus.values if s in allowed]


class DeviceEditForm(DeviceForm):
    """A registered device's details, as IT staff correct them (`device_edit` decides what is on the record)."""

    label = None  # the asset tag stays: printed labels are permanent
    reason = forms.CharField(
        label="Reason for the change",
        max_length=200,
        required=False,
        help_text="Recorded in the custody record when the site, type or identity changes",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        device = self.instance
        self.initial.setdefault("accessories", [n for n in ("has_charger", "has_case") if getattr(device, n)])
        self.fields["webcam"].initial = {True: "yes", False: "no"}.get(device.webcam, "")
        self.initial["webcam"] = self.fields["webcam"].initial

    def _unique(self, field: str, value: str, what: str):
        others = Device.objects.filter(**{field: value}).exclude(pk=self.instance.pk)
        if value and (other := others.only("asset_tag").first()):
            raise forms.ValidationError(f"{other.asset_tag} already has {what} {value}")
        return value

    def device_fields(self) -> dict:
        return {**super().device_fields(), "site": self.cleaned_data["site"]}


class CorrectionForm(GovukForm):
    """Why a status change was a mistake: recorded in the correction's custody event."""

    event = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(
        label="Why was it a mistake?",
        max_length=250,
        help_text="Recorded in the custody record with the correction",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    error_overrides = {
        "reason": {"required": "Enter why the status change was a mistake"},
        "event": {"required": "Start again from the device's page: the status change to correct is missing"},
    }
