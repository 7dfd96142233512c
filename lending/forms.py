"""Desk forms: validation only. The services decide what is allowed."""

import uuid

from django import forms

from core.forms import MAX_ID, IdsField
from core.signature import SignatureFields
from lending.models import LENT_KINDS, Borrower, ConnectivityItem, Loan, normalise_card
from reuse.models import DeviceKind


class ScanForm(forms.Form):
    scan = forms.CharField(
        label="Scan a device label or a library card",
        max_length=300,
        help_text=(
            "Scan the QR label or type the asset tag (like RLY-000123); then scan the library card, "
            "or type the borrower's name, email or postcode to find them."
        ),
        error_messages={"required": "Scan a device label or a library card"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "relay-scan-box",
                "data-scan-box": "",
            }
        ),
    )
    device = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    borrower = forms.UUIDField(required=False, widget=forms.HiddenInput)


class OneTimeForm(forms.Form):
    """A form that carries a fresh random token: sent twice (a double click, Back and resubmit), the
    service sees the same token and acts once."""

    token = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": "This form has expired: try again"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())


class RenewForm(OneTimeForm):
    pass


class RenewalUndoForm(OneTimeForm):
    reason = forms.CharField(
        label="Why is the renewal being undone?",
        max_length=300,
        help_text="For example: renewed the wrong loan. No personal details.",
        error_messages={"required": "Enter why the renewal is being undone"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnUndoForm(OneTimeForm):
    reason = forms.CharField(
        label="Why is the return being undone?",
        max_length=300,
        help_text="For example: scanned the wrong device; the borrower still has it. No personal details.",
        error_messages={"required": "Enter why the return is being undone"},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BorrowerSearchForm(forms.Form):
    MIN_LENGTH = 3

    q = forms.CharField(
        label="Name, library card, email or postcode",
        max_length=120,
        error_messages={"required": "Enter a name, library card, email or postcode to search for"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "type": "search"}),
    )

    def clean_q(self):
        value = " ".join(self.cleaned_data["q"].split())
        if len(value) < self.MIN_LENGTH:
            raise forms.ValidationError(
                f"Enter at least {self.MIN_LENGTH} characters of the name, library card, email or postcode"
            )
        return value


class IssueForm(SignatureFields):
    field_order = ["device", "borrower", "token", "connectivity", "extra_accessories", "signature_method"]
    device = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    borrower = forms.UUIDField(widget=forms.HiddenInput)
    token = forms.UUIDField(widget=forms.HiddenInput)
    connectivity = IdsField(
        queryset=ConnectivityItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="SIM, data or hotspot lent with it",
        help_text="Tick anything going out with the device.",
    )
    extra_accessories = forms.CharField(
        label="Other accessories lent",
        required=False,
        max_length=200,
        help_text="Separate with commas, e.g. mouse, headphones.",
    )
    agreed = forms.BooleanField(
        label="The borrower has read the terms (or had them read to them) and agrees to them",
        error_messages={"required": "Confirm that the borrower agrees to the terms"},
    )

    def __init__(self, *args, connectivity=None, **kwargs):
        super().__init__(*args, **kwargs)
        if connectivity is not None:
            self.fields["connectivity"].queryset = connectivity
        if not self.fields["connectivity"].queryset.exists():
            del self.fields["connectivity"]
        self.fields["signature_method"].label = "How did the borrower agree?"
        self.fields["signature_method"].error_messages["required"] = "Choose how the borrower agreed to the terms"
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    @property
    def extra_accessory_list(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data.get("extra_accessories", "").split(",") if a.strip()]


class BorrowerForm(forms.ModelForm):
    class Meta:
        model = Borrower
        fields = ["card_number", "name", "email", "phone", "contact_by", "postcode", "support_needs"]
        widgets = {"support_needs": forms.Textarea(attrs={"rows": 3}), "contact_by": forms.RadioSelect}
        error_messages = {
            "card_number": {
                "unique": "A borrower with this library card is already registered",
                "required": "Enter the library card number",
            },
            "name": {"required": "Enter the borrower's full name"},
            "postcode": {"required": "Enter the borrower's postcode"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["card_number"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["name"].widget.attrs.update(autocomplete="off")
        self.fields["email"].widget.attrs.update(autocomplete="off")
        self.fields["postcode"].widget.attrs.update(autocomplete="off", **{"class": "govuk-input--width-10"})
        self.fields["phone"].widget.attrs.update(autocomplete="off", **{"class": "govuk-input--width-20"})
        self.fields["card_number"].help_text = "Scan the card, or type the number under its barcode."
        self.fields["contact_by"].required = False  # left unanswered: email, the default

    def clean_card_number(self):
        return normalise_card(self.cleaned_data["card_number"])

    def clean_contact_by(self):
        return self.cleaned_data["contact_by"] or Borrower.ContactBy.EMAIL

    def clean(self):
        data = super().clean()
        if data.get("contact_by") == Borrower.ContactBy.SMS and not data.get("phone"):
            self.add_error("phone", "Enter a mobile number to send the reminders to, or choose email")
        return data


class ReturnForm(OneTimeForm):
    branch = forms.ModelChoiceField(queryset=None, label="Returned at", empty_label=None)
    missing = forms.MultipleChoiceField(
        label="Anything missing?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick what did not come back.",
    )
    damaged = forms.BooleanField(label="The device is damaged", required=False)
    condition_notes = forms.CharField(
        label="Condition notes",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Scratches, cracks, faults the borrower mentioned.",
    )

    def __init__(self, *args, loan: Loan, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        expected = list(loan.accessories) + [str(link.item) for link in loan.connectivity.all()]
        self.fields["missing"].choices = [(a, a) for a in expected]
        if not expected:
            del self.fields["missing"]
        if branches.count() == 1:
            self.fields["branch"].widget = forms.HiddenInput()


class LostForm(forms.Form):
    notes = forms.CharField(
        label="What happened?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: stolen from a bag on 3 March, crime reference 123.",
    )
    confirm = forms.BooleanField(
        label="The borrower has told us the device is lost or stolen",
        error_messages={"required": "Confirm that the borrower reported it lost"},
    )


class HoldForm(forms.Form):
    device_kind = forms.ChoiceField(
        label="What do they need?",
        widget=forms.RadioSelect,
        choices=[(k, label) for k, label in DeviceKind.choices if k in LENT_KINDS],
        error_messages={"required": "Choose the type of device they need"},
    )
