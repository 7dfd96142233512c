"""Coordinators' triage forms: validation only."""

from django import forms

from core.forms import GovukForm
from matching.models import MAX_LINE_QUANTITY, Tier


class TierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"Tier {obj.number}: {obj.name}. {obj.meaning}"


class VerifyForm(GovukForm):
    note = forms.CharField(
        label="How did you check it?",
        required=False,
        max_length=300,
        help_text="For example: Charity Commission register, spoke to the manager.",
    )


class ApproveForm(GovukForm):
    tier = TierChoiceField(
        label="Priority tier",
        queryset=Tier.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a priority tier"},
    )
    in_area = forms.TypedChoiceField(
        label="Are the people it serves inside the council's area?",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes"), ("no", "No: it is matched after every request inside the area")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they are inside the council's area"},
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        help_text="The group sees this, so write it for them.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason the group will see"},
    )


class NoteForm(GovukForm):
    text = forms.CharField(
        label="Add a note",
        max_length=1000,
        help_text="Staff only: the group never sees notes.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the note first"},
    )


class TierForm(GovukForm):
    tier = TierChoiceField(
        label="Priority tier",
        queryset=Tier.objects.all(),
        empty_label=None,
        error_messages={"required": "Choose a tier"},
    )


class QuantityForm(GovukForm):
    quantity = forms.IntegerField(
        label="New quantity",
        min_value=0,
        max_value=MAX_LINE_QUANTITY,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter the new quantity", "invalid": "Enter a whole number"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        help_text="The group sees this.",
        error_messages={"required": "Say why the quantity changes"},
    )


class CancelAllocationForm(GovukForm):
    reason = forms.CharField(
        label="Why is it cancelled?", max_length=300, error_messages={"required": "Say why it is cancelled"}
    )
