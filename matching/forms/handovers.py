"""The handover at the branch: gift or long-term loan, who signs and how. Validation only."""

import uuid

from django import forms

from core.forms import GovukForm
from core.signature import SignatureFields
from matching.models import HandoverKind


class HandoverForm(SignatureFields):
    field_order = [
        "token",
        "kind",
        "signed_by_name",
        "signed_by_role",
        "connectivity",
        "accessories",
        "signature_method",
    ]
    token = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="Gift or loan?",
        choices=HandoverKind.choices,
        widget=forms.RadioSelect,
        initial=HandoverKind.GIFT,
        error_messages={"required": "Choose a gift or a long-term loan"},
    )
    signed_by_name = forms.CharField(
        label="Name of the person signing for the organisation",
        max_length=120,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the name of the person signing"},
    )
    signed_by_role = forms.CharField(
        label="Their role in the organisation",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )
    connectivity = forms.CharField(
        label="SIMs and data vouchers handed over",
        required=False,
        max_length=1000,
        help_text="One a line: the SIM serial or voucher code, and its allowance.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accessories = forms.CharField(
        label="Other accessories handed over",
        required=False,
        max_length=300,
        help_text="Separate with commas, e.g. mouse, headphones. Chargers and cases recorded on each device are "
        "listed already.",
    )
    agreed = forms.BooleanField(
        label="They have read the terms (or had them read to them) and agree to them for the organisation",
        error_messages={"required": "Confirm that they agree to the terms"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signature_method"].label = "How did they agree?"
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    @property
    def connectivity_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("connectivity", "").splitlines() if line.strip()]

    @property
    def accessory_list(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data.get("accessories", "").split(",") if a.strip()]


class ReturnedForm(GovukForm):
    confirm = forms.BooleanField(
        label="The device is back with us", error_messages={"required": "Confirm that the device is back"}
    )
