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
