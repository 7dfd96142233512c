"""The public request form's question pages, the status page's forms and the follow-up. Validation
only: field lengths are capped, numbers bounded, dates checked; `request_submit` decides the rest.

Every page carries a honeypot field (`website`) that people never see; the first page also carries a
signed timestamp, so the final submit can refuse a form filled in faster than a person could.
"""

import datetime
import re

from django import forms
from django.core import signing
from django.utils import timezone

from core.forms import GovukDateField, GovukForm
from matching.models import MAX_LINE_QUANTITY, Connectivity, DayPart, OrganisationKind, ServedGroup
from reuse.models import DeviceKind, Site

REQUESTABLE_KINDS = [(k, label) for k, label in DeviceKind.choices if k != DeviceKind.OTHER]
STARTED_SALT = "matching.request-form.started"
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{6,20}[0-9]$")
CHARITY = re.compile(r"^(SC|NI)?[0-9]{5,8}$")
COMPANY = re.compile(r"^([A-Z]{2}[0-9]{6}|[0-9]{8})$")
MAX_PEOPLE = 100_000


def _text(width: str = "govuk-input--width-20", **attrs):
    return forms.TextInput(attrs={"class": width, **attrs})


def started_token() -> str:
    return signing.TimestampSigner(salt=STARTED_SALT).sign(str(int(timezone.now().timestamp())))


def started_at(token: str, *, max_age: int = 6 * 3600) -> int | None:
    """When the form was started, from the signed token on its first page; None if forged or too old."""
    try:
        return int(signing.TimestampSigner(salt=STARTED_SALT).unsign(token, max_age=max_age))
    except (signing.BadSignature, ValueError):
        return None


class HoneypotForm(GovukForm):
    """A field hidden from people (`templates/matching/public/_honeypot.html`); a bot fills it in."""

    BOT = "We could not accept this form. If you filled it in yourself, call us and we will take your request."
    website = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean() or {}
        if data.get("website") or self.data.get("website"):
            self.add_error(None, self.BOT)
        return data


class OrganisationForm(HoneypotForm):
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    organisation_name = forms.CharField(
        label="Name of your organisation",
        max_length=150,
        widget=_text("govuk-input--width-30", autocomplete="organization"),
        error_messages={"required": "Enter the name of your organisation"},
    )
    organisation_kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of organisation it is"},
    )
    charity_number = forms.CharField(
        label="Registered charity number",
        required=False,
        max_length=12,
        help_text="If it has one, for example 1098765 or SC012345.",
        widget=_text("govuk-input--width-10", spellcheck="false"),
    )
    company_number = forms.CharField(
        label="Company number",
        required=False,
        max_length=8,
        help_text="If it is a company (including a CIC), 8 characters, for example 09876543.",
        widget=_text("govuk-input--width-10", spellcheck="false"),
    )

    def clean_charity_number(self):
        value = re.sub(r"\s", "", self.cleaned_data["charity_number"]).upper()
        if value and not CHARITY.match(value):
            raise forms.ValidationError("Enter the charity number as it is on the register, like 1098765")
        return value

    def clean_company_number(self):
        value = re.sub(r"\s", "", self.cleaned_data["company_number"]).upper()
        if value and not COMPANY.match(value):
            raise forms.ValidationError("Enter the company number as it is on Companies House, 8 characters")
        return value


class ContactForm(HoneypotForm):
    contact_name = forms.CharField(
        label="Your full name",
        max_length=120,
        widget=_text("govuk-input--width-30", autocomplete="name", spellcheck="false"),
        error_messages={"required": "Enter your full name"},
    )
    contact_email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send the confirmation, your private status link and news about the request here.",
        widget=forms.EmailInput(
            attrs={"class": "govuk-input--width-30", "autocomplete": "email", "spellcheck": "false"}
        ),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    contact_phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        help_text="In case we need to talk about the request.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "tel", "type": "tel"}),
    )

    def clean_contact_phone(self):
        value = " ".join(self.cleaned_data["contact_phone"].split())
        if value and not PHONE.match(value):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return value


class PeopleForm(HoneypotForm):
    served_groups = forms.MultipleChoiceField(
        label="Who are the devices for?",
        choices=ServedGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select who the devices are for"},
    )
    served_other = forms.CharField(
        label="If other, who?", required=False, max_length=100, widget=_text("govuk-input--width-30")
    )
    people_count = forms.IntegerField(
        label="How many people will the devices help?",
        min_value=1,
        max_value=MAX_PEOPLE,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many people the devices will help",
            "invalid": "Enter the number of people as a whole number, like 12",
            "min_value": "Enter at least 1 person",
            "max_value": f"Enter at most {MAX_PEOPLE:,} people",
        },
    )
    area = forms.CharField(
        label="Where do the people you support live?",
        max_length=60,
        help_text="A postcode district, like AN1, or the name of a ward.",
        widget=_text("govuk-input--width-20"),
        error_messages={"required": "Enter the postcode district or ward where they live"},
    )
    client_reference = forms.CharField(
        label="Household reference",
        required=False,
        max_length=60,
        help_text="Only if this request is for one household: a reference another group would use for them too, "
        "like their postcode and house number. We keep only a scrambled code of it, to spot a household "
        "referred twice.",
        widget=_text("govuk-input--width-20", autocomplete="off", spellcheck="false"),
    )

    def clean(self):
        data = super().clean() or {}
        if ServedGroup.OTHER in data.get("served_groups", []) and not data.get("served_other", "").strip():
            self.add_error("served_other", "Say who else the devices are for")
        return data


class LineForm(HoneypotForm):
    kind = forms.ChoiceField(
        label="What type of device?",
        choices=REQUESTABLE_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of device"},
    )
    quantity = forms.IntegerField(
        label="How many?",
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        help_text=f"Up to {MAX_LINE_QUANTITY}. For more, add them to another request later.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many you need",
            "invalid": "Enter how many as a whole number, like 5",
            "min_value": "Enter at least 1",
            "max_value": f"Enter at most {MAX_LINE_QUANTITY}",
        },
    )
    min_ram_gb = forms.TypedChoiceField(
        label="Minimum memory (RAM)",
        coerce=int,
        choices=[(0, "No minimum"), (4, "4 GB"), (8, "8 GB"), (16, "16 GB")],
        initial=0,
        error_messages={"required": "Choose the minimum memory, or no minimum"},
    )
    min_storage_gb = forms.TypedChoiceField(
        label="Minimum storage",
        coerce=int,
        choices=[(0, "No minimum"), (64, "64 GB"), (128, "128 GB"), (256, "256 GB"), (512, "512 GB")],
        initial=0,
        error_messages={"required": "Choose the minimum storage, or no minimum"},
    )
    webcam = forms.TypedChoiceField(
        label="Does it need a webcam?",
        coerce=lambda v: v == "yes",
        choices=[("no", "No"), ("yes", "Yes, for video calls")],
        widget=forms.RadioSelect(attrs={"inline": True}),
        initial="no",
        error_messages={"required": "Say whether it needs a webcam"},
    )
    updates_until = GovukDateField(
        label="Still getting security updates until at least",
        what="The security updates date",
        required=False,
        help_text="Leave blank if you do not mind. For example, 31 12 2027.",
    )
    accessibility = forms.CharField(
        label="Accessibility needs",
        required=False,
        max_length=300,
        help_text="For example: large screen, screen reader, no touch screen. Please do not name anyone.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    connectivity = forms.ChoiceField(
        label="Does each one need a SIM or data voucher with it?",
        choices=Connectivity.choices,
        widget=forms.RadioSelect,
        initial="",
        required=False,
    )
    setup_help = forms.TypedChoiceField(
        label="Will the people who get them need help to get started?",
        coerce=lambda v: v == "yes",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect(attrs={"inline": True}),
        initial="no",
        error_messages={"required": "Say whether they will need help to get started"},
    )

    def clean_updates_until(self):
        value = self.cleaned_data.get("updates_until")
        today = timezone.localdate()
        if value and value < today:
            raise forms.ValidationError("The security updates date must be today or in the future")
        if value and value > today + datetime.timedelta(days=3650):
            raise forms.ValidationError("The security updates date must be within 10 years")
        return value


class AnotherForm(HoneypotForm):
    another = forms.TypedChoiceField(
        label="Do you need another type of device?",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Say whether you need another type of device"},
    )


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        days = ", ".join(obj.open_weekday_names)
        return f"{obj.name} (open {days})" if days else obj.name


class CollectionForm(HoneypotForm):
    collection_site = BranchChoiceField(
        label="Which library would you collect from?",
        queryset=Site.objects.active().branches().order_by("name"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the library you would collect from"},
    )
    needed_by = GovukDateField(
        label="When do you need the devices by?",
        what="The date you need the devices by",
        help_text="For example, 27 3 2027.",
    )

    def clean_needed_by(self):
        value = self.cleaned_data.get("needed_by")
        today = timezone.localdate()
        if value and value < today:
            raise forms.ValidationError("The date you need the devices by must be today or in the future")
        if value and value > today + datetime.timedelta(days=730):
            raise forms.ValidationError("The date you need the devices by must be within 2 years")
        return value


class ConsentForm(HoneypotForm):
    consent = forms.BooleanField(
        label="I have read the privacy notice and agree that the council keeps these details to run the request",
        error_messages={"required": "Confirm that you have read the privacy notice"},
    )


class BookingForm(GovukForm):
    date = forms.TypedChoiceField(
        label="Which day will you collect?",
        widget=forms.RadioSelect,
        coerce=datetime.date.fromisoformat,
        error_messages={"required": "Choose a day", "invalid_choice": "Choose one of the days the library is open"},
    )
    part = forms.ChoiceField(
        label="Morning or afternoon?",
        choices=DayPart.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the morning or the afternoon"},
    )

    def __init__(self, *args, days: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["date"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(day.isoformat(), f"{day:%A %-d %B}") for day in days]


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why? (optional)", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label="Withdraw this request", error_messages={"required": "Confirm that you want to withdraw the request"}
    )


class FollowUpForm(GovukForm):
    people_reached = forms.IntegerField(
        label="How many people have the devices reached so far?",
        min_value=0,
        max_value=MAX_PEOPLE,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many people the devices have reached",
            "invalid": "Enter the number of people as a whole number, like 12",
            "min_value": "Enter 0 or more",
            "max_value": f"Enter at most {MAX_PEOPLE:,}",
        },
    )
    devices_in_use = forms.IntegerField(
        label="How many of the devices are in use now?",
        min_value=0,
        max_value=MAX_LINE_QUANTITY * 6,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"required": "Enter how many are in use", "invalid": "Enter a whole number, like 3"},
    )
    devices_unneeded = forms.IntegerField(
        label="How many are no longer needed?",
        min_value=0,
        max_value=MAX_LINE_QUANTITY * 6,
        help_text="Bring them back to any library and we will wipe them and pass them on.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many are no longer needed (0 if none)",
            "invalid": "Enter a whole number",
        },
    )
    comments = forms.CharField(
        label="Anything else you would like to tell us? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Please do not name anyone.",
    )
