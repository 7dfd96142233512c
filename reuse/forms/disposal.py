"""Disposal forms: validation only; `reuse.services.disposal` decides."""

from django import forms

from core.forms import GovukForm, GovukModelForm
from reuse.models import DisposalBatch, parse_tags


class DisposalForm(GovukModelForm):
    tags = forms.CharField(
        label="Asset tags",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Scan or type one tag a line (commas and spaces also separate tags)",
    )

    class Meta:
        model = DisposalBatch
        fields = ["method", "recycler", "waste_transfer_note", "destruction_certificate", "collected_on", "notes"]
        widgets = {
            "method": forms.RadioSelect(attrs={"inline": True}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "collected_on": forms.DateInput(attrs={"class": "govuk-input--width-10"}),
        }
        help_texts = {
            "destruction_certificate": "Add it later if the recycler sends it after collection",
            "collected_on": "For example 24/01/2026",
        }

    field_order = ["tags", "method"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = DisposalBatch.Method.choices  # radios: no empty "---------" choice

    def clean_tags(self):
        tags = parse_tags(self.cleaned_data["tags"])
        if not tags:
            raise forms.ValidationError("Enter at least one asset tag")
        return tags


class DestructionCertificateForm(GovukForm):
    destruction_certificate = forms.CharField(label="Certificate of destruction reference", max_length=100)
