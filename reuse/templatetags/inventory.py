"""The inventory table's rows, rendered in Python.

The inventory is the page measured against the Django admin at 100,000 devices (bench/bench_inventory.py);
a row here costs a fraction of the same markup spelled out in template tags, and the page shows up to 200.
"""

from django import template
from django.utils.html import format_html, format_html_join

from reuse.templatetags.devices import status_tag

register = template.Library()

CHECKBOX = (
    '<td class="govuk-table__cell"><div class="govuk-checkboxes govuk-checkboxes--small">'
    '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="select-{0}" '
    'name="device" type="checkbox" value="{0}"><label class="govuk-label govuk-checkboxes__label" '
    'for="select-{0}"><span class="govuk-visually-hidden">Select {1}</span></label></div></div></td>'
)
CELLS = (
    '<th scope="row" class="govuk-table__header relay-nowrap"><a class="govuk-link" href="{}">{}</a></th>'
    '<td class="govuk-table__cell">{} {}<br><span class="relay-secondary">{}</span></td>'
    '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric relay-nowrap">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric relay-nowrap">{}</td>'
    '<td class="govuk-table__cell relay-nowrap">{}</td>'
)


def _gigabytes(value) -> str:
    return f"{value} GB" if value else "–"


@register.simple_tag
def device_rows(devices, selectable: bool, timezone):
    """One <tr> per device: tag, device, serial, status, site, RAM, storage, received (and a tick box for IT)."""

    def cells(device):
        kind = device.get_kind_display() + (f", grade {device.grade}" if device.grade else "")
        row = format_html(
            CELLS,
            device.get_absolute_url(),
            device.asset_tag,
            device.make,
            device.model,
            kind,
            device.serial or "–",
            status_tag(device.status, device.get_status_display()),
            device.site.name,
            _gigabytes(device.ram_gb),
            _gigabytes(device.storage_gb),
            f"{device.received_at.astimezone(timezone):%-d %b %Y}",
        )
        return format_html(CHECKBOX, device.pk, device.asset_tag) + row if selectable else row

    return format_html_join("\n", '<tr class="govuk-table__row">{}</tr>', ((cells(d),) for d in devices))
