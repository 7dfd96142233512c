import datetime

from django import forms
from django.forms.renderers import TemplatesSetting


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
