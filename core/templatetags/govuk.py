"""Render Django form fields as GOV.UK Frontend markup (classes, hints, errors, aria-describedby)."""

from django import template

register = template.Library()

WIDGET_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    # A single checkbox takes only govuk-checkboxes__input: govuk-input would stretch it to full width.
    "checkbox": "",
}
ERROR_SUFFIX = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


@register.simple_tag
def govuk_widget(field, extra_class=""):
    base = WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    classes = [base] if base else []
    if field.errors and base in ERROR_SUFFIX:
        classes.append(ERROR_SUFFIX[base])
    own = field.field.widget.attrs.get("class")
    if own:
        classes.append(own)
    if extra_class:
        classes.append(extra_class)
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def choice_id(field, index):
    return f"{field.auto_id}" if index == 0 else f"{field.auto_id}-{index}"


@register.simple_tag
def govuk_date_parts(field):
    """The day, month and year boxes of a GovukDateField as `forms/govuk_field.html` lays them out: what was
    typed (or the initial date) in each, never lost on an error."""
    widget = field.field.widget
    context = widget.get_context(field.html_name, field.value(), {"id": field.auto_id})
    labels = ("Day", "Month", "Year")
    return [
        {
            "label": label,
            "name": sub["name"],
            "id": sub["attrs"]["id"],
            "value": "" if sub["value"] is None else sub["value"],
            "class": sub["attrs"].get("class", ""),
            "maxlength": sub["attrs"].get("maxlength", ""),
        }
        for label, sub in zip(labels, context["widget"]["subwidgets"], strict=True)
    ]
