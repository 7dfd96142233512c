"""A stocktake's forms: start one, scan one tag, paste many. Validation only."""

from django import forms

from core.forms import GovukForm
from reuse.forms.intake import SiteChoiceField
from reuse.models import Site


class StocktakeStartForm(GovukForm):
    site = SiteChoiceField(queryset=Site.objects.none(), label="Site", empty_label=None)
    location = forms.CharField(
        label="Shelf or location",
        max_length=100,
        required=False,
        help_text="For example “Store room B, shelves 1 to 4”. Leave blank for the whole site.",
    )
    error_overrides = {"site": {"required": "Select the site to count"}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user).active().order_by("name")


class ScanForm(GovukForm):
    scan = forms.CharField(
        label="Scan a label or type its asset tag",
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-20 relay-scanbox", "autocomplete": "off", "autofocus": True}
        ),
    )
    error_overrides = {"scan": {"required": "Scan a label or enter an asset tag"}}


class PasteForm(GovukForm):
    tags = forms.CharField(
        label="Or paste many asset tags",
        max_length=40_000,
        help_text="One a line, or separated by spaces or commas. Labels’ web addresses work too.",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    error_overrides = {"tags": {"required": "Paste at least one asset tag"}}
