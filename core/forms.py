from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Every Django form renders as GOV.UK form groups unless a template lays it out by hand."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
