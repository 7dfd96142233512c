"""The device page's status change: validation only; `device_transition` decides."""

from django import forms

from reuse.models import DeviceStatus

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


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="New status", widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason", max_length=300, required=False, help_text="Recorded in the custody record")

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, DeviceStatus(s).label) for s in DeviceStatus.values if s in allowed]
