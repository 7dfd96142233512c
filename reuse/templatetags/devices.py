"""Device statuses as coloured GOV.UK tags, wherever a device is shown."""

from django import template
from django.utils.html import format_html

from reuse.models import DeviceStatus as S

register = template.Library()

STATUS_COLOURS = {
    S.READY: "govuk-tag--green",
    S.ON_LOAN: "govuk-tag--blue",
    S.RESERVED: "govuk-tag--blue",
    S.RECEIVED: "govuk-tag--yellow",
    S.SANITISED: "govuk-tag--turquoise",
    S.QUARANTINED: "govuk-tag--red",
    S.LOST: "govuk-tag--red",
    S.REPAIR: "govuk-tag--orange",
}


@register.simple_tag
def status_tag(status, label=None):
    """A device status as a coloured GOV.UK tag. Python, not a template: long lists show one per row."""
    return format_html(
        '<strong class="govuk-tag relay-status {}">{}</strong>',
        STATUS_COLOURS.get(status, "govuk-tag--grey"),
        label or status,
    )
