import datetime

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name


class GovukFormRenderer(TemplatesSetting):
    """Every Django form renders as GOV.UK form groups unless a template lays it out by hand."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class GovukDateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes (`forms/govuk_field.html` lays them out)."""

    template_name = "django/forms/widgets/multiwidget.html"

    def __init__(self, attrs=None):
        boxes = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2", "maxlength": "2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2", "maxlength": "2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4", "maxlength": "4"}),
        ]
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed into GOV.UK's three boxes, with GOV.UK's error messages ("`what` must be a real date");
    what was typed is kept."""

    widget = GovukDateInput
    PARTS = ("day", "month", "year")

    def __init__(self, *, label: str, what: str = "", **kwargs):
        self.what = what or "The date"
        kwargs.setdefault("error_messages", {"required": f"Enter {self.what[0].lower()}{self.what[1:]}"})
        parts = [forms.CharField(max_length=4, required=False) for _ in self.PARTS]
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(parts, label=label, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(f"Enter {self.what[0].lower()}{self.what[1:]}", code="required")
            return None
        missing = [name for name, value in zip(self.PARTS, data_list, strict=True) if not value]
        if missing:
            raise forms.ValidationError(f"{self.what} must include a {' and a '.join(missing)}", code="incomplete")
        try:
            day, month, year = (int(str(value).strip()) for value in data_list)
            if year < 1000:
                raise ValueError
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{self.what} must be a real date", code="invalid") from None


# Ids and dates from requests, kept within what the database and Python's dates can hold: a value out of
# range is a form error (or is dropped), never an OverflowError or a database error and a 500.
MAX_ID = 2**63 - 1  # the largest BigAutoField value on PostgreSQL and SQLite
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def parse_id(value) -> int | None:
    """A database id written as digits, or None for anything else (out of range included)."""
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The ids among `values` (`request.GET.getlist(...)`), in order; anything else is dropped."""
    return [number for number in map(parse_id, values) if number is not None]


class IdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField whose values must be ids the database can hold before any query is made."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]


class BoundedDateField(forms.DateField):
    """A date between 1900 and 2200: anything further out is a typing slip, and a day after 31/12/9999
    does not exist."""

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(
                f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}", code="date_out_of_range"
            )


class BoundedDateTimeField(forms.DateTimeField):
    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(
                f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}", code="date_out_of_range"
            )


# GOV.UK error messages that name the field ("Enter the make", "Select the device type"), derived from
# each field's label, in place of Django's anonymous defaults ("This field is required."). A form
# overrides any of them in `error_overrides = {"field": {"required": "..."}}`; a field built with its
# own `error_messages` keeps them.
ACRONYMS = frozenset({"CPU", "RAM", "OS", "TPM", "IMEI", "SIM", "SD", "URL", "CSV", "PDF", "ID", "GB", "SSD", "HDD"})
NO_ARTICLE: tuple[str, ...] = ("the ", "a ", "an ", "your ", "their ", "its ", "how ", "what ", "when ", "who ")
NO_ARTICLE += ("which ", "why ", "where ", "whether ", "if ")


def field_noun(label: str) -> str:
    """How a message names the field: "Serial number" -> "the serial number", "RAM (GB)" -> "the RAM",
    "How many?" -> "how many"."""
    text = str(label).split(" (")[0].strip().rstrip("?:").strip() or "this"
    first, _, rest = text.partition(" ")
    # An acronym keeps its capitals: "NIST SP 800-88 category", "IMEI".
    if not (first in ACRONYMS or (len(first) > 1 and first.isupper())):
        text = f"{first[0].lower()}{first[1:]}" + (f" {rest}" if rest else "")
    return text if text.lower().startswith(NO_ARTICLE) else f"the {text}"


def _sentence(noun: str) -> str:
    return f"{noun[0].upper()}{noun[1:]}"


def _default_messages(field: forms.Field) -> dict:
    messages: dict = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.FileField | forms.BooleanField)


def govuk_messages(field: forms.Field, noun: str) -> dict[str, str]:
    """The GOV.UK messages for `field`, named by `noun` ("the make")."""
    what, pick = _sentence(noun), f"Select {noun}"
    messages = {
        "required": f"{'Select' if _is_choice(field) else 'Enter'} {noun}",
        "invalid_choice": f"{pick} from the list",
        "invalid_pk_value": f"{pick} from the list: “%(pk)s” is not one of them",
        "invalid_list": f"{pick} from the list",
        "max_length": f"{what} must be %(limit_value)d characters or fewer",
        "min_length": f"{what} must be %(limit_value)d characters or more",
        "min_value": f"{what} must be %(limit_value)s or more",
        "max_value": f"{what} must be %(limit_value)s or less",
        "max_digits": f"{what} must be %(max)s digits or fewer",
        "max_decimal_places": f"{what} must have %(max)s decimal places or fewer",
        "empty": f"The file for {noun} is empty",
        "missing": f"Select {noun}",
        "step_size": f"{what} must be a multiple of %(limit_value)s",
    }
    if isinstance(field, forms.BooleanField):
        messages["required"] = f"Confirm {noun}" if noun.startswith("the ") else f"Select {noun}"
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{what} must be a whole number"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{what} must be a number"
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{what} must be a real date and time"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{what} must be a real date, like 27/3/2026"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {noun} in the correct format, like name@example.com"
    elif isinstance(field, forms.FileField):
        messages["invalid"] = f"Select a file for {noun}"
    return messages


def name_field_errors(form: forms.BaseForm, overrides: dict[str, dict[str, str]]) -> None:
    """Replace each of Django's default messages on `form`'s fields with one naming the field."""
    for name, field in form.fields.items():
        defaults = _default_messages(field)
        derived = govuk_messages(field, field_noun(str(field.label or pretty_name(name))))
        for code, message in derived.items():
            # Validators' codes (min_value, max_length) are not among a field's defaults: fill those too.
            current = field.error_messages.get(code)
            if current is None or str(current) == str(defaults.get(code)):
                field.error_messages[code] = message
        field.error_messages.update(overrides.get(name, {}))


class GovukForm(forms.Form):
    """A form whose error messages name their field, GOV.UK style (`name_field_errors`)."""

    error_overrides: dict[str, dict[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_field_errors(self, self.error_overrides)


class GovukModelForm(forms.ModelForm):
    """`GovukForm` for a model form."""

    error_overrides: dict[str, dict[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_field_errors(self, self.error_overrides)
