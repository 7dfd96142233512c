"""The inventory table's rows, rendered in Python.

The inventory is the page measured against the Django admin at 100,000 devices (bench/bench_inventory.py);
a row here costs a fraction of the same markup spelled out in template tags, and the page shows up to 200.
"""

from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from reuse.models import DeviceKind, DeviceStatus
from reuse.templatetags.devices import status_tag

register = template.Library()

# Labels looked up once: `get_FOO_display()` rebuilds its choices dictionary on every call.
KIND_LABELS = dict(DeviceKind.choices)
STATUS_TAGS = {status: str(status_tag(status, label)) for status, label in DeviceStatus.choices}
# Where a device's page is, with a stand-in for its tag: one `reverse()` for the page, not one a row.
TAG = "RELAY-TAG"

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
    """One <tr> per device: tag, device, serial, status, site, RAM, storage, received (and a tick box for IT).

    Every value from the database goes through `html.escape` (quotes too) on its way in; the markup around
    it is this module's own."""
    url = reverse("reuse:device-detail", args=[TAG])

    def cells(device) -> str:
        tag = escape(device.asset_tag)
        kind = KIND_LABELS.get(device.kind, device.kind) + (f", grade {device.grade}" if device.grade else "")
        row = CELLS.format(
            url.replace(TAG, escape(quote(device.asset_tag, safe=""))),
            tag,
            escape(device.make),
            escape(device.model),
            escape(kind),
            escape(device.serial or "–"),
            STATUS_TAGS.get(device.status) or escape(device.status),
            escape(device.site.name),
            _gigabytes(device.ram_gb),
            _gigabytes(device.storage_gb),
            f"{device.received_at.astimezone(timezone):%-d %b %Y}",
        )
        return CHECKBOX.format(device.pk, tag) + row if selectable else row

    return mark_safe("\n".join(f'<tr class="govuk-table__row">{cells(device)}</tr>' for device in devices))  # noqa: S308 - every value escaped above
