"""The device page's status change: validation only; `device_transition` decides."""

from django import forms

from core.forms import GovukForm
from reuse.models import DeviceStatus

# Statuses staff set from the device page. Reserved, on loan and gifted are reached through lending
# and matching (loans, holds, handovers), never by picking them here.
DEVICE_PAGE_STATUSES = frozenset(DeviceStatus) - {DeviceStatus.RESERVED, DeviceStatus.ON_LOAN, DeviceStatus.GIFTED}


class TransitionForm(GovukForm):
    to_status = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason", max_length=300, required=False, help_text="Recorded in the custody record")

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, DeviceStatus(s).label) for s in DeviceStatus.values if s in allowed and s in DEVICE_PAGE_STATUSES
        ]
